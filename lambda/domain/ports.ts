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
