import type { Feature } from '../feature.js';
import { participantsRoutes } from './participants.routes.js';

export const participants: Feature = {
  name: 'participants',
  api: participantsRoutes,
  commands: {
    participants: {
      summary: 'participants purge : pseudonymise les participants sans heures depuis la durée de conservation',
      load: () => import('./purge.command.js'),
    },
  },
};
