// kinesalite ships no types; this is the part of its API the local mode uses.
declare module 'kinesalite' {
  import type { Server } from 'node:http';

  interface KinesaliteOptions {
    /** LevelDB directory. @default - in memory */
    readonly path?: string;
    readonly ssl?: boolean;
    /** Milliseconds a stream stays CREATING. @default 500 */
    readonly createStreamMs?: number;
    readonly deleteStreamMs?: number;
    readonly updateStreamMs?: number;
    /** Total shards the server allows. @default 10 */
    readonly shardLimit?: number;
  }

  function kinesalite(options?: KinesaliteOptions): Server;
  export = kinesalite;
}
