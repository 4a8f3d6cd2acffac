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
  logOut: defineRoute({
    method: 'POST', path: '/auth/logout', tag: 'users', summary: 'Log out: every token of your account is refused from now on (within a minute)', auth: true,
    successStatus: 204,
  }),
  changePassword: defineRoute({
    method: 'POST', path: '/users/me/password', tag: 'users', summary: 'Change your password: earlier tokens are refused (within a minute), the reply carries a new one', auth: true,
    body: users.changePasswordBody, response: users.sessionReply,
  }),
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
