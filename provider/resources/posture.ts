// The provider's posture engine, fed with the model objects of each planned resource from its typed model.

import { PostureEngine } from '../policy';
import { plannedObjects } from './posture_objects';

/** One per provider process: it remembers what this process has planned so far. */
export const posture = new PostureEngine({ objects: plannedObjects });
