// Every route of the HTTP API with its schemas: the handlers bind to these, /openapi.json is built from them.
import { z } from 'zod';
import { defineRoute } from './route';
import * as users from '../users/schemas';

export const healthReply = z.object({ status: z.literal('ok'), time: z.string() });

export const routes = {
  health: defineRoute({ method: 'GET', path: '/health', tag: 'meta', summary: 'Liveness check', auth: false, response: healthReply }),
  openApi: defineRoute({ method: 'GET', path: '/openapi.json', tag: 'meta', summary: 'This API as OpenAPI 3.1', auth: false }),

  signUp: defineRoute({
    method: 'POST', path: '/users', tag: 'users', summary: 'Sign up', auth: false,
    body: users.signUpBody, response: users.tokenReply, successStatus: 201,
  }),
  logIn: defineRoute({ method: 'POST', path: '/auth/login', tag: 'users', summary: 'Log in', auth: false, body: users.logInBody, response: users.loginReply }),
  getMe: defineRoute({ method: 'GET', path: '/users/me', tag: 'users', summary: 'Your profile', auth: true, response: users.privateProfile }),
  updateMe: defineRoute({
    method: 'PATCH', path: '/users/me', tag: 'users', summary: 'Change your profile', auth: true,
    body: users.updateProfileBody, response: users.privateProfile,
  }),
  getUser: defineRoute({
    method: 'GET', path: '/users/{userId}', tag: 'users', summary: "Someone's public profile", auth: true,
    params: users.userIdParams, response: users.publicProfile,
  }),
};
