// Builds the GGUF fixtures once per test run (they are generated, never committed).
import { writeFixtures } from '../build/gguf/build-models.js';

export default function setup(): void {
  writeFixtures();
}
