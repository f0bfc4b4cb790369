// One measurement of the minimal direct node-llama-cpp loop, in its own process (so it can run on
// Shotglass's addon or, with SHOTGLASS_STOCK_ADDON=1, on node-llama-cpp's stock one, and is isolated
// like llama-bench):
// prompt processing of `pp` tokens into an empty sequence, then greedy generation of `tg` tokens
// after a 1-token prompt; prints one JSON line {pp, tg} in tokens/s.
//   npx tsx bench/direct-worker.mts MODEL THREADS PP TG SALT
import { getLlama, type Token } from 'node-llama-cpp';
import { directGenerate, directPrompt, promptTokens } from './lib.mjs';

const [modelPath, threads, pp, tg, salt] = process.argv.slice(2);
// (the same switch as the engine's: a custom cmake option makes node-llama-cpp skip the local build)
const stock = process.env.SHOTGLASS_STOCK_ADDON === '1' ? { cmakeOptions: { SHOTGLASS_STOCK_ADDON: '1' } } : {};
const llama = await getLlama({ gpu: false, build: 'never', ...stock });
const model = await llama.loadModel({ modelPath: modelPath! });
const context = await model.createContext({ contextSize: 2048, sequences: 1, batchSize: 512, threads: Number(threads) });
const sequence = context.getSequence();
// warm-up decode (first-use allocations), as llama-bench does
await directGenerate(sequence, [1 as Token], 2);
const ppRate = Number(pp) > 0 ? await directPrompt(sequence, promptTokens(Number(pp), Number(salt))) : NaN;
const tgRate = Number(tg) > 0 ? 1000 / (await directGenerate(sequence, [1 as Token], Number(tg) + 1)).msPerToken : NaN;
console.log(JSON.stringify({ pp: ppRate, tg: tgRate }));
await context.dispose();
await model.dispose();
