// Saves ever larger versions of one template in a loop until it is killed (by kill.test.ts).
// Prints "saving N" before each save and "saved N" after it.
import { openLibrary } from '../../../service/library/index.js';
import { bigPrompt, template, testCodec } from './test-codec.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: kill-child.mts <library dir>');
const library = await openLibrary({ dir, codec: testCodec, watch: false });
let entry = library.list().find((e) => e.status === 'ok' && e.name === 'Killed');
if (!entry) entry = await library.create(template('Killed', bigPrompt(0)));
if (entry.status !== 'ok') throw new Error('the template is broken');
let current = entry;
for (;;) {
  const n = current.version + 1;
  process.stdout.write(`saving ${n}\n`);
  current = await library.save(current.id, { ...current.template, prompt: bigPrompt(n) }, { expectedVersion: current.version });
  process.stdout.write(`saved ${n}\n`);
}
