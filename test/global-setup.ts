// Builds the GGUF fixtures once per test run (they are generated, never committed).
import { writeFixtures } from '../scripts/build-models.js';

export default function setup(): void {
  writeFixtures();
}
