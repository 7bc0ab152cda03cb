import { Module } from '@nestjs/common';
import { DemoLoader } from './demo.loader.js';

/**
 * Loads the demo workspace into an empty store at start. Import it last: its bootstrap hook sends commands,
 * so the command handlers and the infrastructure (global modules, started first) must be up.
 */
@Module({ providers: [DemoLoader], exports: [DemoLoader] })
export class DemoModule {}
