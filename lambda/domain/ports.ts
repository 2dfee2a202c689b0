// SPDX-License-Identifier: Apache-2.0
/**
 * The one seam between the domain core and IAM. The core depends on this interface only;
 * `lambda/adapters/iam-directory.ts` implements it over `@aws-sdk/client-iam`, and tests pass
 * in-memory fakes. Implementations throw the domain errors of `./errors`, never SDK errors.
 */
export interface MfaDevice {
  /** A virtual device's ARN, a FIDO key's `u2f` ARN, or a hardware token's vendor serial. */
  readonly serialNumber: string;
  readonly enabledAt: Date;
}

export interface MfaDevicePage {
  readonly devices: readonly MfaDevice[];
  /** Present when IAM reported `IsTruncated`: pass it back to get the next page. */
  readonly nextMarker?: string;
}

export interface ResyncCommand {
  readonly userName: string;
  readonly serialNumber: string;
  /** Normalised: exactly six ASCII digits. */
  readonly code1: string;
  readonly code2: string;
}

/** Per-call options. */
export interface DirectoryCallOptions {
  /**
   * Aborts the call when the request's IAM time budget runs out; the implementation then throws
   * `UpstreamUnavailableError` instead of waiting for the function timeout.
   */
  readonly signal?: AbortSignal;
}

export interface MfaDirectory {
  listMfaDevices(userName: string, marker?: string, options?: DirectoryCallOptions): Promise<MfaDevicePage>;
  /** Consumes the codes: implementations must send it at most once (never retry it). */
  resyncMfaDevice(command: ResyncCommand, options?: DirectoryCallOptions): Promise<void>;
}

/** A user as IAM stores it (GetUser, F-1.5.1): the exact strings to put in a session policy. */
export interface IamUser {
  /** The stored case, which may differ from the claim's (names are unique regardless of case, F-3.5.2). */
  readonly userName: string;
  readonly path: string;
  /** Includes the path (F-1.5.2). */
  readonly arn: string;
  /** Keys as IAM returns them. */
  readonly tags: Readonly<Record<string, string>>;
}

/** The IAM user the calls of one request act on, as far as the mode knows it. */
export interface TargetUser {
  readonly userName: string;
  /** Present when IAM confirmed the user (scoped mode): canonical ARN, path and tags. */
  readonly confirmed?: IamUser;
}

export type CredentialMode = 'scoped' | 'single-role';

export interface ProviderCallOptions extends DirectoryCallOptions {
  /** The API Gateway request id; scoped mode names the STS session after it. */
  readonly requestId?: string;
}

/**
 * Where a request's IAM credentials come from. Two steps, so that the domain can check the user
 * (path prefix, two-party binding) between learning who it is and getting rights on it:
 * - scoped mode: `resolveUser` looks the user up in a session allowed only `iam:GetUser`, and
 *   `openDirectory` returns a directory whose session may act on that one user ARN only;
 * - single-role mode: the claim's name is used as is, with the function role's own directory.
 */
export interface MfaDirectoryProvider {
  readonly mode: CredentialMode;
  resolveUser(caller: CallerIdentity, options?: ProviderCallOptions): Promise<TargetUser>;
  openDirectory(user: TargetUser, caller: CallerIdentity, options?: ProviderCallOptions): Promise<MfaDirectory>;
}

/** What a provider needs to know about the caller (a subset of the domain's `Caller`). */
export interface CallerIdentity {
  readonly iamUserName: string;
  readonly cognitoUsername: string;
  readonly subject?: string;
}
