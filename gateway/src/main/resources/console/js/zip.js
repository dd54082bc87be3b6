// A zip writer for what the console packs itself: the single source file of a function written in the
// editor. Entries are stored (method 0) with their CRC-32, which every unzip, the platform's included,
// reads; a source file of a few kilobytes gains nothing from deflate.

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes) {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i += 1) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function dosTime(d) {
  return (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1);
}

function dosDate(d) {
  return ((Math.max(1980, d.getFullYear()) - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate();
}

const UTF8_NAMES = 0x0800;
const VERSION_NEEDED = 10; // 1.0: stored entries, no directories needed
const MADE_BY_UNIX = (3 << 8) | 20; // so the external attributes below mean Unix permissions
const REGULAR_FILE_644 = (0o100644 << 16) >>> 0;

/** Zips [{name, text | bytes}] into a Uint8Array. */
export function zip(files, date = new Date()) {
  const encoder = new TextEncoder();
  const entries = files.map((f) => {
    const data = f.bytes ?? encoder.encode(f.text ?? '');
    return { name: encoder.encode(f.name), data, crc: crc32(data) };
  });
  const localSize = entries.reduce((n, e) => n + 30 + e.name.length + e.data.length, 0);
  const centralSize = entries.reduce((n, e) => n + 46 + e.name.length, 0);
  const out = new Uint8Array(localSize + centralSize + 22);
  const view = new DataView(out.buffer);
  let at = 0;
  const u16 = (v) => { view.setUint16(at, v, true); at += 2; };
  const u32 = (v) => { view.setUint32(at, v >>> 0, true); at += 4; };
  const bytes = (b) => { out.set(b, at); at += b.length; };
  const time = dosTime(date);
  const day = dosDate(date);

  const offsets = [];
  for (const e of entries) {
    offsets.push(at);
    u32(0x04034b50);
    u16(VERSION_NEEDED); u16(UTF8_NAMES); u16(0); u16(time); u16(day);
    u32(e.crc); u32(e.data.length); u32(e.data.length);
    u16(e.name.length); u16(0);
    bytes(e.name);
    bytes(e.data);
  }
  const centralStart = at;
  entries.forEach((e, i) => {
    u32(0x02014b50);
    u16(MADE_BY_UNIX); u16(VERSION_NEEDED); u16(UTF8_NAMES); u16(0); u16(time); u16(day);
    u32(e.crc); u32(e.data.length); u32(e.data.length);
    u16(e.name.length); u16(0); u16(0); u16(0); u16(0);
    u32(REGULAR_FILE_644); u32(offsets[i]);
    bytes(e.name);
  });
  const centralLength = at - centralStart;
  u32(0x06054b50);
  u16(0); u16(0); u16(entries.length); u16(entries.length);
  u32(centralLength); u32(centralStart); u16(0);
  return out;
}
