// SPDX-License-Identifier: Apache-2.0
/** The floor: a handler that imports nothing and answers at once, bundled like the real one. */
export const handler = async (): Promise<{ statusCode: number; headers: Record<string, string>; body: string }> => ({
  statusCode: 200,
  headers: { 'Content-Type': 'application/json' },
  body: '{"devices":[]}',
});
