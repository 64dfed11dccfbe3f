// The cdktf flavour's source is the construct source with its CDK import specifier rewritten, and nothing else.
import { importsOf, rewriteCdkImports } from '../../scripts/package/source-tree';

test('rewrites the cdktn specifier in imports, re-exports, type imports and requires, and only there', () => {
  const source = [
    "import { Lazy } from 'cdktn';",
    'import type { TerraformResource } from "cdktn";',
    "import * as cdktn from 'cdktn';",
    "export { App } from 'cdktn/lib/app';",
    "const x = require('cdktn');",
    "const y = await import('cdktn');",
    "import { gen } from '@cdktn/provider-generator';",
    "import cli from 'cdktn-cli';",
    '// on cdktn the constructs build on cdktn.TerraformStack',
  ].join('\n');
  expect(rewriteCdkImports(source, 'cdktf').split('\n')).toEqual([
    "import { Lazy } from 'cdktf';",
    'import type { TerraformResource } from "cdktf";',
    "import * as cdktn from 'cdktf';",
    "export { App } from 'cdktf/lib/app';",
    "const x = require('cdktf');",
    "const y = await import('cdktf');",
    "import { gen } from '@cdktn/provider-generator';",
    "import cli from 'cdktn-cli';",
    '// on cdktn the constructs build on cdktn.TerraformStack',
  ]);
  expect(importsOf(source, 'cdktn')).toBe(6);
  expect(importsOf(rewriteCdkImports(source, 'cdktf'), 'cdktn')).toBe(0);
});
