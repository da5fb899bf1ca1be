/**
 * Preloaded into every policy pack a command starts (`--require` in the pack's NODE_OPTIONS; see
 * `startPackProcess`). The pack's stdin is a pipe from the command, which closes however the command ends:
 * SIGKILL and a crash included, which no exit handler of the command sees. The pack then ends too, so no
 * pack is left serving after its command.
 */
process.stdin.once("end", () => process.exit(0));
process.stdin.once("error", () => process.exit(0));
process.stdin.resume();
