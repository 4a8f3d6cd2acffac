// OAuth `state` items: OAUTH#<sha-256 of the state>/STATE with the user who started the consent, the
// encrypted PKCE verifier and the SHA-256 of the starting browser's cookie nonce (bindingHash). Written with attribute_not_exists, consumed by a conditional delete (single use),
// refused once past expiresAtMs; DynamoDB's TTL (expiresAt, seconds) removes the unused ones.
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { OAuthState, OAuthStateRepo } from '../connections/ports';
import { dynamo, tableName } from './client';
import { isConditionalCheckFailed } from './errors';

export const oauthStateKeys = {
  pk: (stateHash: string) => `OAUTH#${stateHash}`,
  sk: () => 'STATE',
};

export const oauthStateStore: OAuthStateRepo = {
  async put(state) {
    await dynamo().send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          pk: oauthStateKeys.pk(state.stateHash),
          sk: oauthStateKeys.sk(),
          type: 'OAuthState',
          ...state,
          expiresAt: Math.ceil(state.expiresAtMs / 1000),
          version: 1,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  },

  async consume(stateHash, nowMs) {
    try {
      const result = await dynamo().send(
        new DeleteCommand({
          TableName: tableName(),
          Key: { pk: oauthStateKeys.pk(stateHash), sk: oauthStateKeys.sk() },
          // TTL deletes lazily (up to days later), so expiry is checked here too.
          ConditionExpression: 'attribute_exists(pk) AND expiresAtMs > :now',
          ExpressionAttributeValues: { ':now': nowMs },
          ReturnValues: 'ALL_OLD',
        }),
      );
      const item = result.Attributes!;
      return {
        stateHash: item.stateHash as string,
        userId: item.userId as string,
        encryptedCodeVerifier: item.encryptedCodeVerifier as string,
        expiresAtMs: item.expiresAtMs as number,
        ...(item.bindingHash ? { bindingHash: item.bindingHash as string } : {}),
      } satisfies OAuthState;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  },
};
