// Routes of the contract: Sign-up, log-in and profiles (functions users and auth).
// lib/http/contract.ts gathers every group for /openapi.json; a handler imports its own group only, so that its
// bundle holds no other feature's schemas.
import { defineRoute } from '../route';
import * as users from '../../users/schemas';

export const routes = {
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
