/**
 * Our table of provider secret formats: one entry per kind of credential, with the keywords
 * that must occur (lower-case) before its regex runs. Written for thresher from the providers'
 * published token formats; the generic rules (assignments, URL passwords) live in detect.ts.
 *
 * `secretGroup` names the capture group holding the secret (default: the whole match);
 * `entropy` is a minimum Shannon entropy (bits per character) for that secret; `validate`
 * checks structure a regex cannot (a JWT's parts decode to JSON). Values that are placeholders
 * (`xxxx`, `<your-key>`, `${TOKEN}`), versions or sequences are dropped for every rule.
 */
export type SecretKind = 'KEY' | 'PASSWORD';

export interface SecretRule {
  id: string;
  description: string;
  keywords: string[];
  regex: RegExp;
  secretGroup?: number;
  /**
   * For a regex that starts at a literal inside the token and reads the token's head in a
   * look-behind placed after that literal (the engine then scans for the literal instead of
   * trying the look-behind at every position): the look-behind's group holding the head, where
   * the secret starts (it ends with the match).
   */
  startGroup?: number;
  entropy?: number;
  /**
   * Case-sensitive strings one of which every match holds: the regex runs only on texts with
   * one (a native search). Keywords match in any case, so `sk` lets through `task` and `ask`.
   */
  literals?: string[];
  /**
   * Every match begins with the character `at` and has `also` `offset` characters later: the
   * matches are found by a native search for `at` and a sticky attempt where `also` follows
   * (the engine's own scan for a frequent character like `.` is several times slower).
   */
  anchor?: { at: string; offset: number; also: string };
  /** gitleaks' reading of `entropy`: a secret needs more than it, not at least it. */
  entropyInclusive?: boolean;
  /** gitleaks' default secret: the first capture group that matched, else the whole match. */
  firstGroup?: boolean;
  kind?: SecretKind;
  validate?: (secret: string) => boolean;
  /** Matches to drop (gitleaks allowlists, see gitleaks-config.ts). */
  allowlists?: RuleAllowlist[];
}

/** A gitleaks allowlist, the parts that apply to contents. */
export interface RuleAllowlist {
  regexes: RegExp[];
  regexTarget: 'secret' | 'match' | 'line';
  /** Lower-case words: the secret containing one is allowed. */
  stopwords: string[];
  condition: 'OR' | 'AND';
}

/** After a value: a character that cannot continue it. */
const END = String.raw`(?![\w+/=-])`;

/**
 * A value assigned to a name mentioning `provider`: `provider_api_key = "value"`,
 * `"PROVIDER_TOKEN": 'value'`, `--provider-key value`, `provider.secret := value`, and the other
 * forms detect-secrets' assignment patterns take: `["provider_key"] = …`, `provider_key::value`,
 * `provider_key(value)`.
 */
function assigned(provider: string, value: string): RegExp {
  return new RegExp(String.raw`(?:${provider})[\w.-]{0,30}?["']?\]?\s{0,3}(?:::|:=|=>|\?=|=|:|,|\(|\s)\s{0,3}[\x60"']?(${value})${END}`, 'dgi');
}

const re = (source: string, flags = ''): RegExp => new RegExp(source, 'dg' + flags);

function base64UrlJson(part: string): boolean {
  try {
    const json = Buffer.from(part.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
    const v: unknown = JSON.parse(json);
    return typeof v === 'object' && v !== null;
  } catch {
    return false;
  }
}

/** A JWT's header and payload are base64url JSON objects. */
function validJwt(token: string): boolean {
  const parts = token.split('.');
  return parts.length >= 2 && base64UrlJson(parts[0]) && base64UrlJson(parts[1]);
}

export const SECRET_RULES: readonly SecretRule[] = [
  // cloud providers
  {
    id: 'aws-access-key-id',
    description: 'AWS access key id',
    keywords: ['akia', 'asia', 'abia', 'acca', 'a3t'],
    literals: ['AKIA', 'ASIA', 'ABIA', 'ACCA', 'A3T'],
    regex: re(String.raw`\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b`),
  },
  { id: 'aws-secret-access-key', description: 'AWS secret access key assigned to an aws-named field', keywords: ['aws'], regex: assigned('aws', '[A-Za-z0-9/+]{40}'), secretGroup: 1 },
  { id: 'gcp-api-key', description: 'Google API key', keywords: ['aiza'], regex: re(String.raw`\bAIza[\w-]{35}${END}`), entropy: 3.5 },
  {
    id: 'gcp-service-account-key',
    description: 'private key field of a Google service-account JSON',
    keywords: ['private_key_id'],
    regex: re(String.raw`"private_key_id"\s*:\s*"([a-f0-9]{40})"`),
    secretGroup: 1,
  },
  {
    id: 'azure-storage-key',
    description: 'Azure storage account key in a connection string',
    keywords: ['accountkey'],
    regex: re(String.raw`AccountKey=([A-Za-z0-9+/]{86,1000}==)`, 'i'),
    secretGroup: 1,
  }, // detect-secrets' length range
  { id: 'azure-ad-client-secret', description: 'Azure AD client secret', keywords: ['q~'], regex: re(String.raw`(?<![\w~.])[\w~.]{3}\dQ~[\w~.-]{31,34}(?![\w~.-])`), entropy: 3 },
  { id: 'alibaba-access-key-id', description: 'Alibaba Cloud access key id', keywords: ['ltai'], regex: re(String.raw`\bLTAI[A-Za-z0-9]{12,20}\b`), entropy: 3 },
  {
    id: 'ibm-cloud-iam-key',
    description: 'IBM Cloud IAM API key',
    keywords: ['ibm', 'iam', 'cloud', 'apikey'],
    regex: assigned(String.raw`ibm|iam|cloud|\bapikey`, '[a-zA-Z0-9_-]{44}'),
    secretGroup: 1,
  },
  {
    id: 'ibm-cos-hmac-secret',
    description: 'IBM Cloud Object Storage HMAC secret',
    // detect-secrets' keyword: secret, an optional access, key, with or without - or _ between
    keywords: ['secret_access', 'secret-access', 'secretaccess', 'secret_key', 'secret-key', 'secretkey'],
    regex: assigned(String.raw`secret[_-]?(?:access[_-]?)?key`, '[a-f0-9]{48}'),
    secretGroup: 1,
  },
  {
    id: 'softlayer-api-key',
    description: 'SoftLayer API key',
    keywords: ['softlayer', 'sl_', 'sl-', 'slapi', 'slkey', 'slpass', 'slpwd', 'sltoken'],
    regex: assigned(String.raw`softlayer|\bsl[_-]?(?:api|key|pass|pwd|token)`, '[a-z0-9]{64}'),
    secretGroup: 1,
  },
  {
    id: 'softlayer-api-url',
    description: 'SoftLayer API key in an API URL',
    keywords: ['api.softlayer.com'],
    regex: re(String.raw`api\.softlayer\.com/(?:soap|rest)/v3(?:\.1)?/([a-z0-9]{64})\b`, 'i'),
    secretGroup: 1,
  },
  {
    id: 'cloudant-password',
    description: 'Cloudant password or API key',
    keywords: ['cloudant', 'clou', 'cl_', 'cl-', 'clapi', 'clkey', 'clpw', 'clpass', 'cltoken'],
    regex: assigned(String.raw`\bcl(?:oudant|ou)?[_-]?(?:api|key|pw|pass|password|secret|token)`, '[0-9a-f]{64}|[a-z]{24}'),
    secretGroup: 1,
  },
  {
    id: 'cloudant-url-password',
    description: "Cloudant password or API key in an account URL (detect-secrets' Cloudant form)",
    keywords: ['cloudant.com'],
    regex: re(String.raw`https?://[\w-]+:([0-9a-f]{64}|[a-z]{24})@[\w-]+\.cloudant\.com`, 'i'),
    secretGroup: 1,
    kind: 'PASSWORD',
  },
  { id: 'digitalocean-token', description: 'DigitalOcean token', keywords: ['dop_v1_', 'doo_v1_', 'dor_v1_'], regex: re(String.raw`\bdo[opr]_v1_[a-f0-9]{64}\b`) },
  { id: 'heroku-api-key', description: 'Heroku API key', keywords: ['heroku'], regex: assigned('heroku', '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'), secretGroup: 1 },
  { id: 'databricks-token', description: 'Databricks token', keywords: ['dapi'], regex: re(String.raw`\bdapi[a-f0-9]{32}(?:-\d)?\b`), entropy: 3 },
  { id: 'vault-token', description: 'HashiCorp Vault token', keywords: ['hvs.', 'hvb.'], regex: re(String.raw`\bhv[sb]\.[\w-]{90,300}${END}`), entropy: 3.5 },
  { id: 'terraform-cloud-token', description: 'Terraform Cloud token', keywords: ['atlasv1'], regex: re(String.raw`\b[a-z0-9]{14}\.atlasv1\.[a-z0-9_=-]{60,70}${END}`, 'i') },
  // version control and CI
  {
    id: 'github-token',
    description: 'GitHub personal, OAuth, app or refresh token',
    keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'],
    regex: re(String.raw`\bgh[pousr]_[A-Za-z0-9]{36,255}\b`),
    entropy: 3,
  },
  { id: 'github-fine-grained-pat', description: 'GitHub fine-grained personal access token', keywords: ['github_pat_'], regex: re(String.raw`\bgithub_pat_\w{82}\b`) },
  {
    id: 'gitlab-token',
    description: 'GitLab tokens (personal, deploy, runner, feed, SCIM, feature-flag, CI job)',
    keywords: ['glpat-', 'gldt-', 'glrt-', 'glft-', 'glsoat-', 'glffct-', 'glcbt-'],
    regex: re(String.raw`\bgl(?:pat|dt|rt|ft|soat|ffct|cbt)-[\w-]{20,50}(?![\w-])`),
  },
  { id: 'gitlab-runner-registration-token', description: 'GitLab runner registration token', keywords: ['gr1348941'], regex: re(String.raw`\bGR1348941[\w-]{20,50}(?![\w-])`) },
  { id: 'gitlab-incoming-mail-token', description: 'GitLab incoming mail token', keywords: ['glimt-'], regex: re(String.raw`\bglimt-[\w-]{25}(?![\w-])`) },
  { id: 'gitlab-trigger-token', description: 'GitLab pipeline trigger token', keywords: ['glptt-'], regex: re(String.raw`\bglptt-[\w-]{40}(?![\w-])`) },
  { id: 'gitlab-agent-token', description: 'GitLab Kubernetes agent token', keywords: ['glagent-'], regex: re(String.raw`\bglagent-[\w-]{50,1024}(?![\w-])`) },
  { id: 'gitlab-oauth-secret', description: 'GitLab OAuth application secret', keywords: ['gloas-'], regex: re(String.raw`\bgloas-[\w-]{64}(?![\w-])`) },
  { id: 'bitbucket-secret', description: 'Bitbucket client secret', keywords: ['bitbucket'], regex: assigned('bitbucket', '[a-z0-9=_-]{64}'), secretGroup: 1 },
  { id: 'codecov-token', description: 'Codecov access token', keywords: ['codecov'], regex: assigned('codecov', '[a-z0-9]{32}'), secretGroup: 1, entropy: 3 },
  {
    id: 'linkedin-client-secret',
    description: 'LinkedIn client id or secret',
    keywords: ['linkedin', 'linked_in', 'linked-in'],
    regex: assigned('linked[_-]?in', '[a-z0-9]{16}|[a-z0-9]{14}'),
    secretGroup: 1,
    entropy: 3,
  },
  {
    id: 'authress-access-key',
    description: 'Authress service client access key (prefix_account.region.acc_id.key)',
    keywords: ['.acc_', '.acc-'],
    regex: re(String.raw`\b(?:sc|ext|scauth|authress)_[a-z0-9]{5,30}\.[a-z0-9]{4,6}\.acc[_-][a-z0-9-]{10,32}\.[a-z0-9+/_=-]{30,120}(?![\w+/=-])`, 'i'),
    entropy: 2,
  },
  { id: 'travis-token', description: 'Travis CI token', keywords: ['travis'], regex: assigned('travis', '[a-z0-9]{22}'), secretGroup: 1, entropy: 3 },
  // chat and webhooks
  {
    id: 'slack-token',
    description: 'Slack bot, user, app or legacy token',
    keywords: ['xoxb-', 'xoxp-', 'xoxa-', 'xoxr-', 'xoxs-', 'xoxo-', 'xoxe', 'xapp-'],
    regex: re(String.raw`\b(?:xox[baprsoe](?:\.xox[bp])?-[0-9A-Za-z-]{10,250}|xapp-\d-[A-Za-z0-9]+-\d+-[A-Za-z0-9]+)\b`),
  },
  { id: 'slack-webhook', description: 'Slack incoming webhook URL', keywords: ['hooks.slack.com'], regex: re(String.raw`hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/]{20,80}`) },
  {
    id: 'discord-bot-token',
    description: 'Discord bot token (found at its first dot)',
    keywords: ['.'],
    regex: re(String.raw`\.(?=[A-Za-z\d_-]{6}\.)(?<=(?<![\w-])([MNO][A-Za-z\d_-]{23,25})\.)[A-Za-z\d_-]{6}\.[A-Za-z\d_-]{27,38}(?![\w-])`),
    startGroup: 1,
    anchor: { at: '.', offset: 7, also: '.' },
  },
  {
    id: 'discord-webhook',
    description: 'Discord webhook URL',
    keywords: ['discord.com/api/webhooks', 'discordapp.com/api/webhooks'],
    regex: re(String.raw`discord(?:app)?\.com/api/webhooks/\d+/([\w-]{60,70})`),
    secretGroup: 1,
  },
  { id: 'telegram-bot-token', description: 'Telegram bot token', keywords: [':aa'], regex: re(String.raw`\b\d{8,10}:AA[0-9A-Za-z_-]{32,33}(?![\w-])`) },
  {
    id: 'teams-webhook',
    description: 'Microsoft Teams webhook URL',
    keywords: ['webhook.office.com'],
    regex: re(String.raw`https://[a-z0-9]+\.webhook\.office\.com/webhookb2/[a-z0-9@-]{70,}/IncomingWebhook/[a-z0-9]{32}/[a-z0-9-]{36}`, 'i'),
  },
  // the format alone, filler bodies included (`ACxxxx…`), as detect-secrets' Twilio plugin
  { id: 'twilio-api-key', description: 'Twilio API key / account SID', keywords: ['sk', 'ac'], literals: ['SK', 'AC'], regex: re(String.raw`\b(?:SK|AC)[0-9a-z]{32}\b`) },
  // detect-secrets' form (`SG.` + 22 + `.` + 43, whatever follows, filler too) or gitleaks' (66 characters of these)
  {
    id: 'sendgrid-api-key',
    description: 'SendGrid API key (SG. and 66 characters: two dot-separated parts)',
    keywords: ['sg.'],
    regex: re(String.raw`\bSG\.(?:[\w-]{22}\.[\w-]{43}|[\w=.-]{66}(?![\w=.-]))`),
  },
  // lower-case letters and digits, not only hex: detect-secrets' Mailchimp plugin
  { id: 'mailchimp-api-key', description: 'Mailchimp API key (found at its -us suffix)', keywords: ['-us'], regex: re(String.raw`-us(?=\d{1,2}\b)(?<=\b([0-9a-z]{32})-us)\d{1,2}\b`), startGroup: 1 },
  { id: 'mailgun-key', description: 'Mailgun API key', keywords: ['key-'], regex: re(String.raw`\bkey-[0-9a-z]{32}\b`), entropy: 3 },
  { id: 'sendinblue-api-key', description: 'Sendinblue API key', keywords: ['xkeysib-'], regex: re(String.raw`\bxkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}\b`) },
  // payment
  {
    id: 'stripe-secret-key',
    description: 'Stripe secret or restricted key',
    keywords: ['sk_live', 'sk_test', 'rk_live', 'rk_test'],
    regex: re(String.raw`(?<![A-Za-z0-9])[sr]k_(?:live|test|prod)_[0-9a-zA-Z]{10,99}(?![A-Za-z0-9])`), // `_` may follow, as detect-secrets' Stripe plugin allows
  },
  { id: 'square-token', description: 'Square access token or secret', keywords: ['sq0atp-', 'sq0csp-', 'eaaa'], regex: re(String.raw`\b(?:sq0atp-[\w-]{22}|sq0csp-[\w-]{43}|EAAA[\w-]{60})(?![\w-])`) },
  { id: 'paypal-braintree-token', description: 'PayPal Braintree access token', keywords: ['access_token$production$'], regex: re(String.raw`access_token\$production\$[0-9a-z]{16}\$[0-9a-f]{32}`) },
  { id: 'shopify-token', description: 'Shopify access token or shared secret', keywords: ['shpat_', 'shpca_', 'shppa_', 'shpss_'], regex: re(String.raw`\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\b`) },
  {
    id: 'plaid-token',
    description: 'Plaid access token',
    keywords: ['access-sandbox-', 'access-development-', 'access-production-'],
    regex: re(String.raw`\baccess-(?:sandbox|development|production)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b`),
  },
  {
    id: 'flutterwave-key',
    description: 'Flutterwave secret, public or encryption key',
    keywords: ['flwseck', 'flwpubk'],
    regex: re(String.raw`\bFLW(?:SECK|PUBK)(?:_TEST)?-[a-h0-9]{12,32}(?:-X)?\b`, 'i'),
  },
  // package registries
  { id: 'npm-token', description: 'npm access token', keywords: ['npm_'], regex: re(String.raw`\bnpm_[A-Za-z0-9]{36}\b`) },
  { id: 'npmrc-auth-token', description: '_authToken in an .npmrc registry line', keywords: ['_authtoken'], regex: re(String.raw`//[^\s:'"]+/:_authToken=\s*([\w.+/=-]+)`), secretGroup: 1 },
  { id: 'pypi-token', description: 'PyPI upload token', keywords: ['pypi-ag'], regex: re(String.raw`\bpypi-AgE(?:IcHlwaS5vcmc|NdGVzdC5weXBpLm9yZw)[\w-]{70,}`) },
  { id: 'rubygems-token', description: 'RubyGems API key', keywords: ['rubygems_'], regex: re(String.raw`\brubygems_[a-f0-9]{48}\b`) },
  { id: 'nuget-key', description: 'NuGet API key', keywords: ['oy2'], regex: re(String.raw`\boy2[a-z0-9]{43}\b`) },
  {
    id: 'artifactory-key',
    description: 'JFrog Artifactory API key or password',
    keywords: ['akc', 'ap'],
    literals: ['AKC', 'AP'],
    // starts with the literal A, the look-behind checked after it: the engine scans for 'A' instead of testing every position
    regex: re(String.raw`A(?<=(?:^|[\s=:"'])A)(?:KC[a-zA-Z0-9]{10,}|P[\dA-F][a-zA-Z0-9]{8,})(?=[\s"']|$)`, 'm'),
  },
  { id: 'clojars-token', description: 'Clojars deploy token', keywords: ['clojars_'], regex: re(String.raw`\bCLOJARS_[a-z0-9]{60}\b`, 'i') },
  { id: 'docker-hub-pat', description: 'Docker Hub personal access token', keywords: ['dckr_pat_'], regex: re(String.raw`\bdckr_pat_[\w-]{27}(?![\w-])`) },
  // AI and SaaS APIs
  { id: 'openai-api-key', description: 'OpenAI API key', keywords: ['t3blbkfj'], regex: re(String.raw`\bsk-(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_-]{20,74}T3BlbkFJ[A-Za-z0-9_-]{20,74}(?![\w-])`) },
  { id: 'anthropic-api-key', description: 'Anthropic API key', keywords: ['sk-ant-'], regex: re(String.raw`\bsk-ant-(?:api|admin)\d\d-[\w-]{80,100}(?![\w-])`) },
  { id: 'huggingface-token', description: 'Hugging Face token', keywords: ['hf_', 'api_org_'], regex: re(String.raw`\b(?:hf_|api_org_)[A-Za-z]{34}\b`), entropy: 3 },
  { id: 'perplexity-api-key', description: 'Perplexity API key', keywords: ['pplx-'], regex: re(String.raw`\bpplx-[a-zA-Z0-9]{48}\b`) },
  { id: 'postman-api-key', description: 'Postman API key', keywords: ['pmak-'], regex: re(String.raw`\bPMAK-[a-f0-9]{24}-[a-f0-9]{34}\b`, 'i') },
  { id: 'linear-api-key', description: 'Linear API key', keywords: ['lin_api_'], regex: re(String.raw`\blin_api_[a-z0-9]{40}\b`, 'i') },
  { id: 'notion-token', description: 'Notion integration token', keywords: ['ntn_', 'secret_'], regex: re(String.raw`\b(?:ntn_\d{11}[A-Za-z0-9]{35}|secret_[A-Za-z0-9]{43})\b`) },
  { id: 'atlassian-token', description: 'Atlassian API token', keywords: ['atatt3'], regex: re(String.raw`\bATATT3[A-Za-z0-9_=-]{186}`) },
  { id: 'dynatrace-token', description: 'Dynatrace API token', keywords: ['dt0c01.'], regex: re(String.raw`\bdt0c01\.[a-z0-9]{24}\.[a-z0-9]{64}\b`, 'i') },
  {
    id: 'new-relic-key',
    description: 'New Relic user or insert key',
    keywords: ['nrak-', 'nrii-', 'nrjs-'],
    regex: re(String.raw`\b(?:NRAK-[a-z0-9]{27}|NRII-[a-z0-9-]{32}|NRJS-[a-f0-9]{19})\b`, 'i'),
  },
  {
    id: 'grafana-token',
    description: 'Grafana API key, cloud or service-account token',
    keywords: ['eyjrijoi', 'glc_', 'glsa_'],
    regex: re(String.raw`\b(?:eyJrIjoi[A-Za-z0-9]{70,400}={0,3}|glc_[A-Za-z0-9+/]{32,400}={0,3}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})(?![\w+/=-])`),
  },
  { id: 'sentry-token', description: 'Sentry user or org token', keywords: ['sntryu_', 'sntrys_'], regex: re(String.raw`\b(?:sntryu_[a-f0-9]{64}|sntrys_eyJ[A-Za-z0-9+/=_]{60,400})(?![\w+/=-])`) },
  { id: 'doppler-token', description: 'Doppler API token', keywords: ['dp.pt.'], regex: re(String.raw`\bdp\.pt\.[a-z0-9]{43}\b`, 'i') },
  { id: 'pulumi-token', description: 'Pulumi access token', keywords: ['pul-'], regex: re(String.raw`\bpul-[a-f0-9]{40}\b`) },
  { id: 'planetscale-token', description: 'PlanetScale password or token', keywords: ['pscale_'], regex: re(String.raw`\bpscale_(?:tkn|oauth|pw)_[\w=.-]{32,64}(?![\w=.-])`) },
  { id: 'easypost-token', description: 'EasyPost API key', keywords: ['ezak', 'eztk'], regex: re(String.raw`\bEZ[AT]K[a-z0-9]{54}\b`, 'i') },
  { id: 'shippo-token', description: 'Shippo API token', keywords: ['shippo_'], regex: re(String.raw`\bshippo_(?:live|test)_[a-fA-F0-9]{40}\b`) },
  { id: 'twitter-bearer-token', description: 'Twitter/X bearer token', keywords: ['aaaaaaaaaaaaaaaaaaaaa'], regex: re(String.raw`\bA{22}[A-Za-z0-9%]{80,100}`) },
  { id: 'facebook-access-token', description: 'Facebook page/app access token', keywords: ['eaac', 'eaam'], regex: re(String.raw`\bEAA[MC][a-zA-Z0-9]{100,}\b`) },
  {
    id: 'onepassword-secret-key',
    description: '1Password account secret key',
    keywords: ['a3-'],
    regex: re(String.raw`\bA3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}\b`),
  },
  { id: 'age-secret-key', description: 'age encryption secret key', keywords: ['age-secret-key-1'], regex: re(String.raw`AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}`) },
  { id: 'onepassword-service-token', description: '1Password service account token', keywords: ['ops_eyj'], regex: re(String.raw`\bops_eyJ[A-Za-z0-9+/]{250,}={0,3}`) },
  { id: 'adobe-client-secret', description: 'Adobe client secret', keywords: ['p8e-'], regex: re(String.raw`\bp8e-[A-Za-z0-9]{32}\b`) },
  {
    id: 'aws-bedrock-key',
    description: 'Amazon Bedrock API key',
    keywords: ['absk', 'bedrock-api-key-'],
    regex: re(String.raw`\b(?:ABSK[A-Za-z0-9+/]{109,269}={0,2}|bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t[A-Za-z0-9+/=]*)`),
  },
  { id: 'cloudflare-origin-ca-key', description: 'Cloudflare origin CA key', keywords: ['v1.0-'], regex: re(String.raw`\bv1\.0-[a-f0-9]{24}-[a-f0-9]{146}\b`) },
  { id: 'duffel-token', description: 'Duffel API token', keywords: ['duffel_'], regex: re(String.raw`\bduffel_(?:test|live)_[A-Za-z0-9_=-]{43}`, 'i') },
  {
    id: 'flyio-token',
    description: 'Fly.io access token',
    keywords: ['fo1_', 'fm1', 'fm2_'],
    regex: re(String.raw`\b(?:fo1_[\w-]{43}|fm1[ar]_[A-Za-z0-9+/]{100,}={0,3}|fm2_[A-Za-z0-9+/]{100,}={0,3})`),
  },
  { id: 'gitlab-routable-token', description: 'GitLab routable personal or runner token', keywords: ['glpat-', 'glrt-'], regex: re(String.raw`\bgl(?:pat|rt)-[\w-]{27,300}\.[0-9a-z]{9}\b`) },
  { id: 'harness-token', description: 'Harness personal or service account token', keywords: ['pat.', 'sat.'], regex: re(String.raw`\b[ps]at\.[\w-]{22}\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{20}\b`) },
  { id: 'heroku-api-key-v2', description: 'Heroku API key (HRKU-AA)', keywords: ['hrku-aa'], regex: re(String.raw`\bHRKU-AA[\w-]{58}(?![\w-])`) },
  { id: 'octopus-deploy-key', description: 'Octopus Deploy API key', keywords: ['api-'], regex: re(String.raw`\bAPI-[A-Z0-9]{26}\b`) },
  { id: 'scalingo-token', description: 'Scalingo API token', keywords: ['tk-us-'], regex: re(String.raw`\btk-us-[\w-]{48}(?![\w-])`) },
  { id: 'settlemint-token', description: 'SettleMint access token', keywords: ['sm_aat_', 'sm_pat_', 'sm_sat_'], regex: re(String.raw`\bsm_[aps]at_[A-Za-z0-9]{16}\b`) },
  {
    id: 'nuget-config-password',
    description: 'cleartext password in a NuGet config',
    keywords: ['<add key='],
    regex: re(String.raw`<add key="(?:ClearText)?Password"\s*value="([^"]{4,})"\s*/>`, 'i'),
    secretGroup: 1,
    kind: 'PASSWORD',
  },
  // structured tokens
  {
    id: 'jwt',
    description: 'JSON Web Token (header and payload decode to JSON)',
    keywords: ['eyj'],
    regex: re(String.raw`\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}(?:\.[A-Za-z0-9_-]*)?(?![\w-])`),
    validate: validJwt,
  },
  {
    id: 'jwt-base64',
    description: 'a base64-encoded JWT: base64 of "eyJ" plus the start of a standard header claim (list from gitleaks, MIT)',
    keywords: ['zxlk'],
    regex: re(
      String.raw`\bZXlK(?:aGJHY2lPaU|aGNIVWlPaU|aGNIWWlPaU|aGRXUWlPaU|aU5qUWlP|amNtbDBJanBi|amRIa2lPaU|bGNHc2lPbn|bGJtTWlPaU|cWEzVWlPaU|cWQyc2lPb|cGMzTWlPaU|cGRpSTZJ|cmFXUWlP|clpYbGZiM0J6SWpwY|cmRIa2lPaUp|dWIyNWpaU0k2|d01tTWlP|d01uTWlPaU|d2NIUWlPaU|emRXSWlPaU|emRuUWlP|MFlXY2lPaU|MGVYQWlPaUp|MWNtd2l|MWMyVWlPaUp|MlpYSWlPaU|MlpYSnphVzl1SWpv|NElqb2|NE5XTWlP|NE5YUWlPaU|NE5YUWpVekkxTmlJNkl|NE5YVWlPaU|NmFYQWlPaU)[\w/\\+-]{40,}={0,2}`,
    ),
    entropy: 2,
  },
  {
    id: 'private-key',
    description: 'private key block (the body between BEGIN and END is replaced)',
    keywords: ['private key'],
    regex: re(String.raw`-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----(?:\\r)?(?:\\n|\r?\n)?([\s\S]+?)(?=(?:\\r)?(?:\\n|\r?\n)?-----END[ A-Z0-9_-]{0,100}PRIVATE KEY|$)`, 'i'),
    secretGroup: 1,
  },
  { id: 'putty-private-key', description: 'PuTTY private key lines', keywords: ['private-lines:'], regex: re(String.raw`Private-Lines: \d+\r?\n((?:[A-Za-z0-9+/=]+\r?\n?)+)`), secretGroup: 1 },
];
