#!/usr/bin/env node
/**
 * kubesleuth: an offline analyzer for Kubernetes support bundles. One `addCommand` per file in
 * commands/; each command handles its own errors through `handleError`, the only place that exits.
 */
import { Command } from 'commander';
import { createRequire } from 'node:module';
import { scanCommand } from './commands/scan.js';
import { explainCommand } from './commands/explain.js';
import { signaturesCommand } from './commands/signatures.js';
import { inventoryCommand } from './commands/inventory.js';
import { eventsCommand } from './commands/events.js';
import { mergeCommand } from './commands/merge.js';

const require = createRequire(import.meta.url);
const { version } = require('../../../package.json') as { version: string };

// `kubesleuth events … | head` closes stdout early: stop quietly, as other command-line tools do,
// instead of dying on an unhandled EPIPE with a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const program = new Command('kubesleuth')
  .description('Find the known issue that explains a Kubernetes support bundle (bmctl / gkectl snapshots, node command outputs, logs).')
  .version(version)
  .showHelpAfterError('(kubesleuth <command> --help for usage)')
  .configureOutput({ outputError: (str, write) => write(str) })
  .exitOverride((err) => {
    // commander reports usage errors itself; map them to the documented exit code 2.
    process.exit(err.exitCode === 0 ? 0 : 2);
  });


const usageExit = (err: { exitCode: number }) => process.exit(err.exitCode === 0 ? 0 : 2);
for (const command of [scanCommand, explainCommand, signaturesCommand, inventoryCommand, eventsCommand, mergeCommand]) {
  // Usage errors of subcommands (bad --format choice, missing argument) exit 2 as documented.
  command.exitOverride(usageExit);
  for (const sub of command.commands) sub.exitOverride(usageExit);
  program.addCommand(command);
}

await program.parseAsync(process.argv);
