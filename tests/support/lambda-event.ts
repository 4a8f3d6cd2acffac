// Calls an HTTP handler in-process with the API Gateway v2 event it gets on AWS, from any client address
// (requestContext.http.sourceIp), which an HTTP client on this machine cannot choose.
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { LambdaHttpHandler } from '../../lib/http/handler';

export type InvokeOptions = {
  sourceIp: string;
  body?: unknown;
  headers?: Record<string, string>;
  pathParameters?: Record<string, string>;
};

export type InvokeResult = { status: number; headers: Record<string, string>; body: any };

let requests = 0;

export async function invoke(handler: LambdaHttpHandler, routeKey: string, path: string, options: InvokeOptions): Promise<InvokeResult> {
  requests += 1;
  const [method] = routeKey.split(' ');
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const event = {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: '',
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
    pathParameters: options.pathParameters,
    body,
    isBase64Encoded: false,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      requestId: `in-process-${process.pid}-${requests}`,
      routeKey,
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: options.sourceIp, userAgent: 'jest' },
    },
  } as APIGatewayProxyEventV2;
  const context = { awsRequestId: event.requestContext.requestId, functionName: 'in-process', getRemainingTimeInMillis: () => 60_000 } as unknown as Context;
  const result = await handler(event, context);
  const text = typeof result.body === 'string' ? result.body : '';
  return { status: result.statusCode ?? 200, headers: (result.headers ?? {}) as Record<string, string>, body: text ? JSON.parse(text) : undefined };
}
