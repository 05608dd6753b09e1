// The canon schema lives with the canon at the repository root; the
// jsonValidation contribution needs a copy inside the extension package.
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, '..', '..', 'canon', 'canon.schema.json');
const target = join(root, 'schemas', 'canon.schema.json');

mkdirSync(dirname(target), { recursive: true });
copyFileSync(source, target);
