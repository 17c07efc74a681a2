// The parts of the wasm binary format the release build's hooks read and rewrite
// (scripts/optimize-wasm.mjs: the names; scripts/shrink-glue.mjs: the import section).

/** A cursor over a wasm module's bytes, past its 8-byte header. */
export class WasmReader {
  /** @param {Buffer} buf */
  constructor(buf) {
    if (buf.readUInt32LE(0) !== 0x6d736100) throw new Error('not a wasm module');
    this.buf = buf;
    this.p = 8;
  }

  /** True once every byte is read. */
  get done() {
    return this.p >= this.buf.length;
  }

  /** @returns {number} one byte */
  byte() {
    return this.buf[this.p++];
  }

  /** @returns {number} an unsigned LEB128 number */
  u32() {
    let r = 0;
    let s = 0;
    let b;
    do {
      b = this.buf[this.p++];
      r += (b & 0x7f) * 2 ** s;
      s += 7;
    } while (b & 0x80);
    return r;
  }

  /** @returns {string} a name: its length, then its UTF-8 bytes */
  name() {
    const n = this.u32();
    this.p += n;
    return this.buf.toString('utf8', this.p - n, this.p);
  }

  /**
   * One entry of the import section.
   * @returns {{ module: string, field: string, kind: number, desc: Buffer }} `desc`: the bytes of
   *   its description, the kind included
   */
  import() {
    const module = this.name();
    const field = this.name();
    const start = this.p;
    const kind = this.byte();
    const limits = () => {
      const flags = this.byte();
      this.u32();
      if (flags & 1) this.u32();
    };
    if (kind === 0) this.u32(); // function: its type
    else if (kind === 1) {
      this.p++; // table: reference type
      limits();
    } else if (kind === 2) limits(); // memory
    else if (kind === 3) this.p += 2; // global: value type, mutability
    else if (kind === 4) {
      this.p++; // tag: attribute
      this.u32();
    } else throw new Error(`unknown import kind ${kind}`);
    return { module, field, kind, desc: this.buf.subarray(start, this.p) };
  }
}

/** @param {number} n @returns {Buffer} unsigned LEB128 */
export function leb(n) {
  const out = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Buffer.from(out);
}

/** @param {string} s @returns {Buffer} a wasm name: its length, then its UTF-8 bytes */
export function wasmName(s) {
  const b = Buffer.from(s, 'utf8');
  return Buffer.concat([leb(b.length), b]);
}
