// Every route of the HTTP API with its schemas: the handlers bind to these, /openapi.json is built from them.
// The routes live per group in lib/http/routes/ (add a route to its group's file): each handler imports its own
// group alone, so that no function bundles another feature's schemas (and their libraries).
import { routes as meta } from './routes/meta';
import { routes as users } from './routes/users';
import { routes as meetings } from './routes/meetings';
import { routes as scheduling } from './routes/scheduling';
import { routes as companies } from './routes/companies';
import { routes as google } from './routes/google';
import { routes as notifications } from './routes/notifications';
import { routes as pages } from './routes/pages';

export { healthReply } from './routes/meta';

export const routes = { ...meta, ...users, ...meetings, ...scheduling, ...companies, ...google, ...notifications, ...pages };
