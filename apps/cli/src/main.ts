import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { CliModule } from './cli.module.js';
import { failure } from './failure.js';

/** `npm run cli -- <command>`: exit code 0 when the command succeeded, 1 with a message on stderr otherwise. */
async function main(): Promise<void> {
  await CommandFactory.run(CliModule, {
    cliName: 'tracker',
    logger: ['error', 'warn'],
    serviceErrorHandler: (error) => failure(error),
  });
}

main().catch(failure);
