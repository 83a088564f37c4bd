import type { Request, Response } from 'express';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** Under this, compression saves less than the headers it costs. */
const MIN_COMPRESSED_BYTES = 1024;
/** Brotli at this quality compresses a 30 KB series in about a millisecond, near gzip's speed and smaller. */
const BROTLI_QUALITY = 5;

type Encoding = 'br' | 'gzip' | 'identity';

interface StoredAnswer {
  identity: Buffer;
  br?: Buffer;
  gzip?: Buffer;
  bytes: number;
}

/**
 * The bytes of answers other readers will ask for again, kept per ETag: built once, compressed
 * at most once per encoding, whatever the number of readers. The least recently used go first
 * once the bytes kept pass `maxBytes`.
 */
export class AnswerCache {
  private readonly answers = new Map<string, StoredAnswer>();
  private bytes = 0;

  constructor(private readonly maxBytes = 32 * 1024 * 1024) {}

  /** The answer stored under `key`, built by `build` if it is not there. */
  bytesFor(key: string, encoding: Encoding, build: () => string | Buffer): Buffer {
    let answer = this.answers.get(key);
    if (answer) {
      // Map order is insertion order: moving a hit to the end keeps the oldest first.
      this.answers.delete(key);
      this.answers.set(key, answer);
    } else {
      const built = build();
      const identity = typeof built === 'string' ? Buffer.from(built) : built;
      answer = { identity, bytes: identity.length };
      this.answers.set(key, answer);
      this.grow(identity.length);
    }
    if (encoding === 'identity') return answer.identity;
    let encoded = answer[encoding];
    if (!encoded) {
      encoded = encoding === 'br' ? brotli(answer.identity) : gzipSync(answer.identity);
      answer[encoding] = encoded;
      answer.bytes += encoded.length;
      this.grow(encoded.length);
    }
    return encoded;
  }

  /** How many answers are kept (for tests and metrics). */
  get size(): number {
    return this.answers.size;
  }

  private grow(added: number): void {
    this.bytes += added;
    for (const [key, answer] of this.answers) {
      if (this.bytes <= this.maxBytes || this.answers.size === 1) break;
      this.answers.delete(key);
      this.bytes -= answer.bytes;
    }
  }
}

function brotli(content: Buffer): Buffer {
  return brotliCompressSync(content, {
    params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: content.length },
  });
}

export interface CachedAnswer {
  /** A strong ETag computed without building the body (from the state the body is made of). */
  etag: string;
  /** Where the bytes are kept; the ETag alone when the path is in it already. */
  cacheKey: string;
  cacheControl: string;
  contentType: string;
  body: () => string | Buffer;
}

/**
 * Answers a GET from cached bytes: `304` when the reader has them already (nothing built, no
 * database read), otherwise the body in the best encoding the reader accepts, each built once.
 */
export function sendCachedAnswer(req: Request, res: Response, cache: AnswerCache, answer: CachedAnswer): void {
  res.setHeader('ETag', answer.etag);
  res.setHeader('Cache-Control', answer.cacheControl);
  res.vary('Accept-Encoding');
  if (req.fresh) {
    res.status(304).end();
    return;
  }
  const identity = cache.bytesFor(answer.cacheKey, 'identity', answer.body);
  const encoding = identity.length >= MIN_COMPRESSED_BYTES ? acceptedEncoding(req) : 'identity';
  const bytes = encoding === 'identity' ? identity : cache.bytesFor(answer.cacheKey, encoding, answer.body);
  if (encoding !== 'identity') res.setHeader('Content-Encoding', encoding);
  res.setHeader('Content-Type', answer.contentType);
  res.setHeader('Content-Length', bytes.length);
  res.status(200).end(bytes);
}

function acceptedEncoding(req: Request): Encoding {
  const chosen = req.acceptsEncodings('br', 'gzip', 'identity');
  return chosen === 'br' || chosen === 'gzip' ? chosen : 'identity';
}
