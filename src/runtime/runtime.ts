// The runtime core's entry point: a root directory holding one state
// directory per container (libcontainer's Factory).
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Container } from './container';
import { notFound } from './errors';
import { validateId } from './id';
import { readState } from './state';
import { createContainer, type CreateOptions } from './create';

export class Runtime {
  constructor(readonly root: string) {}

  async create(id: string, bundle: string, opts: CreateOptions): Promise<Container> {
    validateId(id);
    mkdirSync(this.root, { recursive: true, mode: 0o711 });
    return createContainer(this.root, id, bundle, opts);
  }

  /** Loads a container from its state.json; its status is derived on demand. */
  load(id: string): Container {
    validateId(id);
    const dir = join(this.root, id);
    try {
      return new Container(dir, readState(dir));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw notFound(`container "${id}" does not exist`);
      throw err;
    }
  }

  list(): Container[] {
    let ids: string[];
    try {
      ids = readdirSync(this.root);
    } catch {
      return [];
    }
    return ids.flatMap((id) => {
      try {
        return [this.load(id)];
      } catch {
        return [];
      }
    });
  }
}
