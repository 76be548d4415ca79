import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectText } from '../../src/licenses/detect.js';

/**
 * The headers projects put atop their files, as the licences' stewards publish them (the FSF's
 * "How to Apply", Apache's appendix, MPL-2.0's Exhibit A, Eclipse's, OpenSolaris' CDDL header,
 * Creative Commons' and PHP's notices), each in a C comment.
 */
const HEADERS: Record<string, string> = {
  'MPL-2.0':
    'This Source Code Form is subject to the terms of the Mozilla Public License, v. 2.0. If a copy of the MPL was not distributed with this file, You can obtain one at http://mozilla.org/MPL/2.0/.',
  'Apache-2.0':
    'Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file except in compliance with the License. You may obtain a copy of the License at\n\n http://www.apache.org/licenses/LICENSE-2.0\n\nUnless required by applicable law or agreed to in writing, software distributed under the License is distributed on an "AS IS" BASIS, WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the License for the specific language governing permissions and limitations under the License.',
  'GPL-2.0-or-later':
    'This program is free software; you can redistribute it and/or modify it under the terms of the GNU General Public License as published by the Free Software Foundation; either version 2 of the License, or (at your option) any later version.\n\nThis program is distributed in the hope that it will be useful, but WITHOUT ANY WARRANTY; without even the implied warranty of MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the GNU General Public License for more details.\n\nYou should have received a copy of the GNU General Public License along with this program; if not, write to the Free Software Foundation, Inc., 51 Franklin Street, Fifth Floor, Boston, MA 02110-1301 USA.',
  'GPL-3.0-only':
    'This program is free software: you can redistribute it and/or modify it under the terms of the GNU General Public License as published by the Free Software Foundation, version 3.\n\nThis program is distributed in the hope that it will be useful, but WITHOUT ANY WARRANTY; without even the implied warranty of MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE. See the GNU General Public License for more details.\n\nYou should have received a copy of the GNU General Public License along with this program. If not, see <https://www.gnu.org/licenses/>.',
  'GPL-2.0-only':
    'This program is free software; you can redistribute it and/or modify it under the terms of the GNU General Public License version 2 as published by the Free Software Foundation.\n\nThis program is distributed in the hope that it will be useful, but WITHOUT ANY WARRANTY; without even the implied warranty of MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE. See the GNU General Public License for more details.',
  'LGPL-2.1-or-later':
    'This library is free software; you can redistribute it and/or modify it under the terms of the GNU Lesser General Public License as published by the Free Software Foundation; either version 2.1 of the License, or (at your option) any later version.\n\nThis library is distributed in the hope that it will be useful, but WITHOUT ANY WARRANTY; without even the implied warranty of MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the GNU Lesser General Public License for more details.\n\nYou should have received a copy of the GNU Lesser General Public License along with this library; if not, write to the Free Software Foundation, Inc., 51 Franklin Street, Fifth Floor, Boston, MA  02110-1301  USA',
  'AGPL-3.0-or-later':
    'This program is free software: you can redistribute it and/or modify it under the terms of the GNU Affero General Public License as published by the Free Software Foundation, either version 3 of the License, or (at your option) any later version.\n\nThis program is distributed in the hope that it will be useful, but WITHOUT ANY WARRANTY; without even the implied warranty of MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the GNU Affero General Public License for more details.\n\nYou should have received a copy of the GNU Affero General Public License along with this program.  If not, see <https://www.gnu.org/licenses/>.',
  'EPL-2.0':
    'This program and the accompanying materials are made available under the terms of the Eclipse Public License 2.0 which is available at https://www.eclipse.org/legal/epl-2.0/\n\nSPDX-License-Identifier: EPL-2.0',
  'EPL-1.0':
    'All rights reserved. This program and the accompanying materials are made available under the terms of the Eclipse Public License v1.0 which accompanies this distribution, and is available at http://www.eclipse.org/legal/epl-v10.html',
  'CDDL-1.0':
    'The contents of this file are subject to the terms of the Common Development and Distribution License (the "License"). You may not use this file except in compliance with the License. You can obtain a copy of the license at usr/src/OPENSOLARIS.LICENSE or http://www.opensolaris.org/os/licensing. See the License for the specific language governing permissions and limitations under the License.',
  'MPL-1.1':
    'The contents of this file are subject to the Mozilla Public License Version 1.1 (the "License"); you may not use this file except in compliance with the License. You may obtain a copy of the License at http://www.mozilla.org/MPL/ Software distributed under the License is distributed on an "AS IS" basis, WITHOUT WARRANTY OF ANY KIND, either express or implied.',
  'EUPL-1.2':
    'Licensed under the EUPL, Version 1.2 or – as soon they will be approved by the European Commission - subsequent versions of the EUPL (the "Licence"); You may not use this work except in compliance with the Licence. You may obtain a copy of the Licence at: https://joinup.ec.europa.eu/software/page/eupl',
  'BSL-1.0': 'Distributed under the Boost Software License, Version 1.0. (See accompanying file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)',
  MIT: 'Use of this source code is governed by an MIT-style license that can be found in the LICENSE file or at https://opensource.org/licenses/MIT.',
  'CC-BY-4.0': 'This work is licensed under a Creative Commons Attribution 4.0 International License. To view a copy of this license, visit http://creativecommons.org/licenses/by/4.0/',
  'CC-BY-SA-4.0':
    'This work is licensed under the Creative Commons Attribution-ShareAlike 4.0 International License. To view a copy of this license, visit http://creativecommons.org/licenses/by-sa/4.0/ or send a letter to Creative Commons, PO Box 1866, Mountain View, CA 94042, USA.',
  'Artistic-2.0':
    'This program is free software; you can redistribute it and/or modify it under the terms of the the Artistic License (2.0). You may obtain a copy of the full license at: http://www.perlfoundation.org/artistic_license_2_0',
  'OSL-3.0':
    'This source file is subject to the Open Software License (OSL 3.0) that is bundled with this package in the file LICENSE.txt. It is also available through the world-wide-web at this URL: http://opensource.org/licenses/osl-3.0.php',
  'AFL-3.0': 'This source file is subject to the Academic Free License (AFL 3.0) that is bundled with this package in the file LICENSE_AFL.txt.',
  'LGPL-3.0-only':
    'This library is free software; you can redistribute it and/or modify it under the terms of the GNU Lesser General Public License version 3 as published by the Free Software Foundation.',
  'GPL-3.0-or-later':
    'This file is part of Foo. Foo is free software: you can redistribute it and/or modify it under the terms of the GNU General Public License as published by the Free Software Foundation, either version 3 of the License, or (at your option) any later version. Foo is distributed in the hope that it will be useful, but WITHOUT ANY WARRANTY; without even the implied warranty of MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE. See the GNU General Public License for more details.',
  Zlib: "This software is provided 'as-is', without any express or implied warranty. Licensed under the zlib license.",
  Unlicense: 'This is free and unencumbered software released into the public domain. For more information, please refer to <http://unlicense.org>',
  WTFPL:
    'This program is free software. It comes without any warranty, to the extent permitted by applicable law. You can redistribute it and/or modify it under the terms of the Do What The Fuck You Want To Public License, Version 2, as published by Sam Hocevar. See http://www.wtfpl.net/ for more details.',
  ISC: 'Licensed under the ISC License.',
  'BSD-3-Clause': 'Use of this source code is governed by a BSD-style license that can be found in the LICENSE file.',
  'CECILL-B':
    'This software is governed by the CeCILL-B license under French law and abiding by the rules of distribution of free software. You can use, modify and/ or redistribute the software under the terms of the CeCILL-B license as circulated by CEA, CNRS and INRIA at the following URL "http://www.cecill.info".',
  'MS-PL': 'This source code is subject to terms and conditions of the Microsoft Public License. A copy of the license can be found in the License.html file at the root of this distribution.',
  'PHP-3.01':
    'This source file is subject to version 3.01 of the PHP license, that is bundled with this package in the file LICENSE, and is available through the world-wide-web at the following url: http://www.php.net/license/3_01.txt',
  'GPL-2.0-or-later WITH Linux-syscall-note':
    'This program is free software; you can redistribute it and/or modify it under the terms of the GNU General Public License as published by the Free Software Foundation; either version 2 of the License, or (at your option) any later version. NOTE! This copyright does *not* cover user programs that use kernel services by normal system calls - this is merely considered normal use of the kernel, and does *not* fall under the heading of "derived work".',
};

test('standard licence headers in a comment read as their licence', () => {
  for (const [id, header] of Object.entries(HEADERS)) {
    const comment = `/*\n${header
      .split('\n')
      .map((l) => ` * ${l}`)
      .join('\n')}\n */\nint main(void) { return 0; }\n`;
    assert.equal(detectText(comment)?.expression, id, id);
  }
});

/** One-line and short notices as projects write them (npm banners, the GNU C Library, Debian fields, LLVM). */
const NOTICES: [string, string][] = [
  ['MIT', 'Copyright (c) Microsoft Corporation. All rights reserved.\nLicensed under the MIT License. See License.txt in the project root for license information.'],
  ['MIT', 'This source code is licensed under the MIT license found in the LICENSE file in the root directory of this source tree.'],
  ['MIT', 'grunt-foo\nhttps://github.com/foo/grunt-foo\n\nCopyright (c) 2014 Jane Doe\nLicensed under the MIT license.'],
  ['MIT', '/*! foo v1.2.3 | (c) Jane Doe | Licensed MIT */'],
  ['MIT', 'Copyright (c) 2014 Jane Doe; Licensed MIT'],
  [
    'Apache-2.0',
    'Licensed to the Apache Software Foundation (ASF) under one or more contributor license agreements.  See the NOTICE file distributed with this work for additional information regarding copyright ownership.  The ASF licenses this file to You under the Apache License, Version 2.0 (the "License"); you may not use this file except in compliance with the License.',
  ],
  [
    'LGPL-2.1-or-later',
    'This file is part of the GNU C Library.\n\nThe GNU C Library is free software; you can redistribute it and/or modify it under the terms of the GNU Lesser General Public License as published by the Free Software Foundation; either version 2.1 of the License, or (at your option) any later version.',
  ],
  ['MIT OR GPL-2.0-only', 'Dual licensed under the MIT or GPL Version 2 licenses.'],
  [
    'GPL-2.0-only',
    'This program is free software; you can redistribute it and/or modify it under the terms of version 2 of the GNU General Public License as published by the Free Software Foundation.',
  ],
  ['GPL-2.0-or-later', 'Released under the terms of the GNU General Public License, version 2 or any later version.'],
  ['GPL-3.0-only', 'Licensed under GPLv3.'],
  ['LGPL-2.1-or-later', 'Licensed under the LGPL v2.1+'],
  ['OSL-3.0', 'Licensed under the Open Software License version 3.0'],
  ['MPL-2.0', 'This program is licensed under the Mozilla Public License 2.0.'],
  ['CC-BY-SA-3.0', 'This file is licensed under the Creative Commons Attribution-ShareAlike 3.0 Unported License.'],
  ['AFL-2.1', 'Licensed under the Academic Free License version 2.1'],
  ['EPL-2.0', 'Licensed under the Eclipse Public License 2.0'],
  [
    'Apache-2.0',
    'Copyright 2015 The TensorFlow Authors. All Rights Reserved.\n\nLicensed under the Apache License, Version 2.0 (the "License");\nyou may not use this file except in compliance with the License.',
  ],
  ['BSD-2-Clause', 'Licensed under the Simplified BSD License'],
  ['BSD-3-Clause', 'This software may be distributed under the terms of the BSD license. See README for more details.'],
  ['Zlib', 'This file is distributed under the zlib/libpng license.'],
  ['GPL-2.0-only', 'This file is released under the GPLv2.'],
  ['GPL-2.0-only', 'This file is licensed under the GPL-2.0 license.'],
  [
    'GPL-2.0-or-later',
    'This program is free software; you can redistribute it and/or modify it under the terms of the GNU General Public License as published by the Free Software Foundation; either version 2, or (at your option) any later version.',
  ],
  [
    'LGPL-2.0-or-later',
    'This library is free software; you can redistribute it and/or modify it under the terms of the GNU Library General Public License as published by the Free Software Foundation; either version 2 of the License, or (at your option) any later version.',
  ],
  ['Apache-2.0', 'SPDX-FileCopyrightText: 2020 Jane Doe\n\nThis file is licensed under the Apache License 2.0.'],
  ['Unlicense', 'This is free and unencumbered software released into the public domain.'],
  ['ISC', 'Copyright (c) 2015, Jane Doe. Released under the ISC license.'],
  ['Artistic-2.0', 'This library is free software; you can redistribute it and/or modify it under the terms of the Artistic License 2.0.'],
  [
    'CC0-1.0',
    'To the extent possible under law, the author(s) have dedicated all copyright and related and neighboring rights to this software to the public domain worldwide. This software is distributed without any warranty. You should have received a copy of the CC0 Public Domain Dedication along with this software. If not, see <http://creativecommons.org/publicdomain/zero/1.0/>.',
  ],
  ['BlueOak-1.0.0', 'Licensed under the Blue Oak Model License 1.0.0.'],
  ['0BSD', 'Licensed under the Zero-Clause BSD license.'],
  ['MIT-0', 'Licensed under the MIT No Attribution license.'],
  [
    'Apache-2.0 WITH LLVM-exception',
    'Part of the LLVM Project, under the Apache License v2.0 with LLVM Exceptions.\nSee https://llvm.org/LICENSE.txt for license information.\nSPDX-License-Identifier: Apache-2.0 WITH LLVM-exception',
  ],
  ['BSL-1.0', '//  Use, modification and distribution are subject to the Boost Software License, Version 1.0. (See accompanying file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)'],
  ['MIT', 'Licensed under the Expat license.'],
  ['GPL-3.0-or-later', 'License: GPL-3+'],
  ['GPL-2.0-or-later', 'License: GPLv2+'],
  ['LGPL-3.0-or-later', 'Licensed under the GNU LGPL v3 or later.'],
  ['AGPL-3.0-only', 'Licensed under the GNU Affero General Public License v3.0.'],
  ['MPL-2.0', 'Licensed under MPL 2.0.'],
];

test('short notices in line comments read as their licence', () => {
  for (const [id, notice] of NOTICES) assert.equal(detectText(`// ${notice.split('\n').join('\n// ')}\n`)?.expression, id, notice);
});

/** -only and -or-later as SPDX and ScanCode read GNU wording: a version alone is that version only. */
const VERSIONS: [string, string][] = [
  ['GPL-2.0-or-later', 'Licensed under the GPLv2 or later.'],
  ['GPL-2.0-only', 'Licensed under the GNU GPL v2 only.'],
  ['GPL-3.0-only', 'This file is distributed under version 3 of the GNU General Public License.'],
  ['GPL-2.0-or-later', 'under the GNU General Public License, version 2, or any later version'],
  ['LGPL-2.1-or-later', 'Licensed under the GNU LGPL 2.1 or newer.'],
  ['GPL-2.0-or-later', 'Licensed under the GPL version 2 or higher.'],
  ['GPL-2.0-or-later', 'Licensed under the GPL version 2 or above.'],
  ['GPL-3.0-or-later', 'Licensed under GPL-3.0-or-later.'],
  ['GPL-2.0-only', 'Licensed under GPL-2.0.'],
  ['GPL-2.0-or-later', 'Licensed under GPL-2.0+.'],
  [
    'LGPL-2.1-only',
    'This library is free software; you can redistribute it and/or modify it under the terms of the GNU Lesser General Public License version 2.1 as published by the Free Software Foundation.',
  ],
  [
    'GPL-2.0-only',
    'This program is free software; you can redistribute it and/or modify it under the terms of the GNU General Public License version 2 as published by the Free Software Foundation. Note that version 3 of the GPL does not apply.',
  ],
  [
    'GPL-2.0-or-later',
    'This program is free software; you can redistribute it and/or modify it under the terms of the GNU General Public License as published by the Free Software Foundation; either version 2 of the License, or (at your option) any later version. You should have received a copy of the GNU General Public License along with this program; see the file COPYING. If not, see version 3 at <http://www.gnu.org/licenses/>.',
  ],
  [
    'GPL-1.0-or-later',
    'This program is free software; you can redistribute it and/or modify it under the terms of the GNU General Public License as published by the Free Software Foundation; either version 1, or (at your option) any later version.',
  ],
  ['AGPL-3.0-only', 'Licensed under the AGPLv3.'],
  ['LGPL-3.0-or-later', 'Licensed under the LGPLv3+.'],
  ['GPL-3.0-only', 'GPL v3'],
];

test('GNU versions: only, or later (later, newer, higher, above, +), and a version named but not granted', () => {
  for (const [id, notice] of VERSIONS) assert.equal(detectText(`# ${notice}\n`)?.expression, id, notice);
});
