// The SSM Parameter Store names of the secrets, per stage: serverless.yml passes them to the functions
// (<NAME>_PARAMETER), roles.js grants reading them, scripts/deploy.ts checks they exist. SecureStrings that the
// operator creates once per stage (CloudFormation cannot create SecureStrings); see the README's deploy section.
const path = (stage) => `/calendar-hub/${stage}`;

const parameterNames = (stage) => ({
  AUTH_SECRET: `${path(stage)}/auth-secret`,
  GOOGLE_CLIENT_SECRET: `${path(stage)}/google-client-secret`,
});

module.exports = { parameterNames };
// For serverless.yml: ${file(infra/parameters.js):authSecret}
module.exports.authSecret = async ({ resolveVariable }) => parameterNames(await resolveVariable('sls:stage')).AUTH_SECRET;
module.exports.googleClientSecret = async ({ resolveVariable }) => parameterNames(await resolveVariable('sls:stage')).GOOGLE_CLIENT_SECRET;
