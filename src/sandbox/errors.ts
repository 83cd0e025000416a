/**
 * HubSpot's error bodies, as its public APIs send them (the `Error` and `StandardError` schemas of
 * HubSpot's OpenAPI specs): `{ status: "error", message, correlationId, category, subCategory?,
 * errors?, context?, links? }`. Route handlers throw a `SandboxError`; one error handler answers it.
 */
import { randomUUID } from 'node:crypto';
import type { Response } from 'express';

export interface ErrorDetail {
  message: string;
  code?: string;
  in?: string;
  subCategory?: string;
  context?: Record<string, string[]>;
}

/** One failed input of a batch call, as HubSpot lists it under `errors` of a 207 answer. */
export interface BatchError {
  status: 'error';
  category: string;
  subCategory?: string;
  message: string;
  context: Record<string, string[]>;
  errors: ErrorDetail[];
  links: Record<string, string>;
}

export class SandboxError extends Error {
  constructor(
    readonly status: number,
    readonly category: string,
    message: string,
    readonly details: { errors?: ErrorDetail[]; context?: Record<string, string[]>; subCategory?: string; links?: Record<string, string> } = {},
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return {
      status: 'error',
      message: this.message,
      correlationId: randomUUID(),
      category: this.category,
      ...(this.details.subCategory ? { subCategory: this.details.subCategory } : {}),
      ...(this.details.errors ? { errors: this.details.errors } : {}),
      ...(this.details.context ? { context: this.details.context } : {}),
      ...(this.details.links ? { links: this.details.links } : {}),
    };
  }

  /** The same failure as one entry of a batch answer's `errors`. */
  asBatchError(context: Record<string, string[]>): BatchError {
    return {
      status: 'error',
      category: this.category,
      ...(this.details.subCategory ? { subCategory: this.details.subCategory } : {}),
      message: this.message,
      context: { ...this.details.context, ...context },
      errors: this.details.errors ?? [],
      links: this.details.links ?? {},
    };
  }
}

export function sendError(res: Response, error: SandboxError): void {
  res.status(error.status).json(error.body());
}

export const validationError = (message: string, errors?: ErrorDetail[], context?: Record<string, string[]>) =>
  new SandboxError(400, 'VALIDATION_ERROR', message, { errors, context });

export const objectNotFound = (message = 'resource not found', context?: Record<string, string[]>) =>
  new SandboxError(404, 'OBJECT_NOT_FOUND', message, { context });

export const conflict = (message: string, details: { subCategory?: string; context?: Record<string, string[]> } = {}) =>
  new SandboxError(409, 'OBJECT_ALREADY_EXISTS', message, details);

export const missingToken = () =>
  new SandboxError(401, 'INVALID_AUTHENTICATION', 'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview');

export const invalidToken = () =>
  new SandboxError(401, 'INVALID_AUTHENTICATION', 'The OAuth token used to make this call is not valid: it is unknown or was revoked when the app was uninstalled.');

export const expiredToken = (expiredMs: number) =>
  new SandboxError(401, 'EXPIRED_AUTHENTICATION', `The OAuth token used to make this call expired ${Math.max(1, Math.round(expiredMs / 60_000))} minute(s) ago.`);

export const missingScopes = (anyOf: string[]) =>
  new SandboxError(403, 'MISSING_SCOPES', "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.", {
    errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: anyOf } }],
    links: { scopes: 'https://developers.hubspot.com/scopes' },
  });

/** A JSON body HubSpot could not parse, or a request body missing where one is required. */
export const invalidJson = (detail: string) => validationError(`Invalid input JSON on line 1, column 1: ${detail}`);
