import { CommandRunner, SubCommand } from 'nest-commander';
import { CheckpointStore } from '#projections';
import { TrackerContext, UsageError } from '../tracker-context.js';

/** `projections resume <name>`: clears a park; a running API retries within about a second. */
@SubCommand({
  name: 'resume',
  arguments: '<name>',
  description: 'Clear the park of a projection stopped at a poison event (after fixing it); the API retries it',
  argsDescription: { name: 'projection name, as listed by `projections status`' },
})
export class ResumeCommand extends CommandRunner {
  constructor(private readonly context: TrackerContext) {
    super();
  }

  async run([name]: string[]): Promise<void> {
    const projection = this.context.projection(name);
    const db = this.context.readModels();
    const checkpoints = new CheckpointStore(db);
    const stored = checkpoints.get(projection.name);
    if (!stored) throw new UsageError(`Projection ${projection.name} has no checkpoint yet: start the API first`);
    if (!stored.parked) {
      process.stdout.write(`${projection.name} is not parked (checkpoint ${stored.position}); nothing to resume\n`);
      return;
    }
    db.transaction(() => checkpoints.unpark(projection.name)).immediate();
    process.stdout.write(
      `${projection.name} resumed: it retries from position ${stored.position + 1} (parked at ${stored.parked.position}: ` +
        `${stored.parked.error}). A running API picks this up within a couple of seconds, otherwise at its next start.\n`,
    );
  }
}
