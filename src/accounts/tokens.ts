import crypto from 'node:crypto';

// API tokens are random, shown once, and stored only as a SHA-256 hash (they carry 256 bits
// of entropy, so a fast hash is enough; passwords use argon2id).
export const generateToken = (): string => `ihl_${crypto.randomBytes(32).toString('base64url')}`;
export const hashToken = (token: string): string => crypto.createHash('sha256').update(token).digest('hex');
