// The offline certificate verifier (/verify/; certificates/offline.py tells the whole story).
//
// A certificate's QR code holds <public URL>/v/<token>/. The token is base32 (upper case, the
// QR code's alphanumeric mode; base64url in older links) of a CWT (a tagged COSE_Sign1,
// EdDSA) or of a version 1 token (payload || Ed25519 signature). This page
// checks it like `verify_certificate --offline --keys --status`: strict decoding, the
// signature against the saved JWKS, the expiry (CWT claim 4) and the revocation bit in the
// saved W3C Bitstring Status List of the serial's prefix and year. Keys and lists live in
// Cache Storage; they are refreshed on every visit made online. A list counts only if its
// Data Integrity proof (eddsa-jcs-2022) verifies with the saved keys, as the command's does.
import { decode, encode } from "cbor2";
import * as noble from "@noble/ed25519";
import canonicalize from "canonicalize";
import { base32nopad, base58 } from "@scure/base";

const config = JSON.parse(document.getElementById("verifier-config").textContent);
const M = config.messages;
const root = document.getElementById("verifier");
const $ = (selector) => root.querySelector(selector);
const META_URL = `${config.scope}__saved__`;
const MAX_TOKEN_CHARS = 2048;

class Verdict extends Error {
  constructor(state, detail = "") {
    super(state);
    this.state = state;
    this.detail = detail;
  }
}
const forged = (detail) => new Verdict("forged", detail);

// --- encodings -------------------------------------------------------------------------------
function b64urlEncode(bytes) {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function b64urlDecode(text) {
  // Strict: the alphabet only, no padding, and canonical (re-encodes to itself).
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) throw forged("base64url");
  const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
  const binary = atob(padded);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  if (b64urlEncode(bytes) !== text) throw forged("base64url");
  return bytes;
}

function b32Decode(text) {
  // The QR code's form (certificates.signing.b32_decode): upper-case RFC 4648 base32 without
  // padding, canonical (re-encodes to itself).
  let bytes;
  try {
    bytes = base32nopad.decode(text);
  } catch (error) {
    throw forged("base32");
  }
  if (base32nopad.encode(bytes) !== text) throw forged("base32");
  return bytes;
}

function tokenBytes(token) {
  // Either form of a token: base32 (what QR codes carry) or base64url (stored, older links).
  return /^[A-Z2-7]+$/.test(token) ? b32Decode(token) : b64urlDecode(token);
}

function sameBytes(a, b) {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

function cborStrict(bytes) {
  // Like certificates.signing.cbor_decode: the bytes must be the encoding of what they decode to.
  let value;
  try {
    value = decode(bytes, { preferMap: true, rejectDuplicateKeys: true });
  } catch (error) {
    throw forged("cbor");
  }
  if (!sameBytes(encode(value), bytes)) throw forged("cbor");
  return value;
}

export function tokenFromText(text) {
  // A bare token or a verification URL (…/v/<token>/), as certificates.signing.token_from_text.
  text = (text || "").trim();
  if (text.includes("/v/")) text = text.slice(text.lastIndexOf("/v/") + 3);
  return text.split("?")[0].split("#")[0].replace(/^\/+|\/+$/g, "");
}

// --- tokens ----------------------------------------------------------------------------------
const CWT_REQUIRED = [1, 2, -1, -2, -3, -4];
const CWT_OPTIONAL = [4, 5, 6]; // exp, nbf, iat

function parseCwt(bytes) {
  const message = cborStrict(bytes);
  if (message?.tag !== 18 || !Array.isArray(message.contents) || message.contents.length !== 4) {
    throw forged("cose");
  }
  const [protectedBytes, unprotected, payload, signature] = message.contents;
  if (
    !(protectedBytes instanceof Uint8Array) ||
    !(unprotected instanceof Map) ||
    unprotected.size !== 0 ||
    !(payload instanceof Uint8Array) ||
    !(signature instanceof Uint8Array) ||
    signature.length !== 64
  ) {
    throw forged("cose");
  }
  const header = cborStrict(protectedBytes);
  if (
    !(header instanceof Map) ||
    header.size !== 2 ||
    header.get(1) !== -8 ||
    !(header.get(4) instanceof Uint8Array) ||
    header.get(4).length === 0
  ) {
    throw forged("header");
  }
  const fields = cborStrict(payload);
  if (!(fields instanceof Map)) throw forged("claims");
  for (const label of fields.keys()) {
    if (!CWT_REQUIRED.includes(label) && !CWT_OPTIONAL.includes(label)) throw forged("claims");
  }
  for (const label of CWT_REQUIRED) if (!fields.has(label)) throw forged("claims");
  for (const label of [1, 2, -1, -2, -3]) {
    if (typeof fields.get(label) !== "string") throw forged("claims");
  }
  const day = fields.get(-4);
  if (typeof day !== "number" || !Number.isInteger(day)) throw forged("claims");
  for (const label of CWT_OPTIONAL) {
    if (fields.has(label) && !Number.isInteger(Number(fields.get(label)))) throw forged("claims");
  }
  const signed = encode(["Signature1", protectedBytes, new Uint8Array(0), payload]);
  return {
    claims: {
      kid: b64urlEncode(header.get(4)),
      issuer: fields.get(1),
      holder: fields.get(2),
      serial: fields.get(-1),
      course: fields.get(-2),
      hours: checkHours(fields.get(-3)),
      completedOn: checkDay(String(day)),
      expires: fields.has(4) ? Number(fields.get(4)) : null,
    },
    signed,
    signature,
  };
}

function checkHours(text) {
  if (!/^(0|[1-9]\d*)(\.\d*[1-9])?$/.test(text)) throw forged("hours");
  return text;
}

function checkDay(text) {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!match) throw forged("date");
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw forged("date");
  }
  return `${match[1]}-${match[2]}-${match[3]}`;
}

function parseV1(bytes) {
  // version byte 1, then seven varint-length-prefixed UTF-8 fields, then a 64-byte signature.
  if (bytes.length <= 64 || bytes[0] !== 1) throw forged("v1");
  const payload = bytes.slice(0, bytes.length - 64);
  const signature = bytes.slice(bytes.length - 64);
  const utf8 = new TextDecoder("utf-8", { fatal: true });
  const fields = [];
  let pos = 1;
  try {
    for (let n = 0; n < 7; n++) {
      let length = 0;
      let shift = 0;
      for (;;) {
        if (pos >= payload.length || shift > 21) throw forged("v1");
        const byte = payload[pos++];
        length |= (byte & 0x7f) << shift;
        shift += 7;
        if (!(byte & 0x80)) break;
      }
      if (pos + length > payload.length) throw forged("v1");
      fields.push(utf8.decode(payload.slice(pos, pos + length)));
      pos += length;
    }
  } catch (error) {
    throw error instanceof Verdict ? error : forged("v1");
  }
  if (pos !== payload.length) throw forged("v1");
  const [kid, serial, holder, course, hours, day, issuer] = fields;
  return {
    claims: {
      kid, serial, holder, course, issuer,
      hours: checkHours(hours),
      completedOn: checkDay(day),
      expires: null,
    },
    signed: payload,
    signature,
  };
}

export function parseToken(token) {
  if (!token || token.length > MAX_TOKEN_CHARS) throw forged("length");
  const bytes = tokenBytes(token);
  return bytes[0] === 0xd2 ? parseCwt(bytes) : parseV1(bytes);
}

// --- signatures ------------------------------------------------------------------------------
let webCryptoEd25519 = null;

async function ed25519Verify(publicRaw, signature, message) {
  if (webCryptoEd25519 !== false) {
    try {
      const key = await crypto.subtle.importKey("raw", publicRaw, { name: "Ed25519" }, false, ["verify"]);
      webCryptoEd25519 = true;
      return await crypto.subtle.verify({ name: "Ed25519" }, key, signature, message);
    } catch (error) {
      if (webCryptoEd25519 === true) return false; // a bad key, not a missing algorithm
      webCryptoEd25519 = false;
    }
  }
  try {
    return await noble.verifyAsync(signature, message, publicRaw, { zip215: false });
  } catch (error) {
    return false;
  }
}

// --- saved keys and status lists -------------------------------------------------------------
async function fetchJson(url) {
  const response = await fetch(url, { cache: "no-store", credentials: "omit" });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return { text: await response.clone().text(), json: await response.json() };
}

async function refresh() {
  // Everything is fetched first and saved only if all of it arrived: never half a set.
  const keys = await fetchJson(config.keys_url);
  if (!Array.isArray(keys.json.keys)) throw new Error("keys");
  const index = await fetchJson(config.lists_url);
  const lists = [];
  for (const entry of index.json.lists || []) {
    const path = new URL(entry.url, location.href).pathname; // same origin as this page
    lists.push([path, await fetchJson(path)]);
  }
  const cache = await caches.open(config.data_cache);
  const json = { headers: { "Content-Type": "application/json" } };
  for (const request of await cache.keys()) await cache.delete(request);
  await cache.put(config.keys_url, new Response(keys.text, json));
  await cache.put(config.lists_url, new Response(index.text, json));
  for (const [path, list] of lists) await cache.put(path, new Response(list.text, json));
  const saved = { fetched: new Date().toISOString(), lists: lists.map(([path]) => path) };
  await cache.put(META_URL, new Response(JSON.stringify(saved), json));
}

async function sha256(text) {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

async function listProofVerifies(credential, keys) {
  // eddsa-jcs-2022: Ed25519 over sha256(JCS(proof options)) || sha256(JCS(document)).
  const proof = credential.proof;
  if (
    !proof ||
    typeof proof !== "object" ||
    Array.isArray(proof) ||
    proof.type !== "DataIntegrityProof" ||
    proof.cryptosuite !== "eddsa-jcs-2022" ||
    proof.proofPurpose !== "assertionMethod" ||
    typeof proof.verificationMethod !== "string" ||
    typeof proof.proofValue !== "string" ||
    !proof.proofValue.startsWith("z")
  ) {
    return false;
  }
  const issuer = typeof credential.issuer === "string" ? credential.issuer : credential.issuer?.id;
  const hash = proof.verificationMethod.indexOf("#");
  if (hash < 0 || proof.verificationMethod.slice(0, hash) !== issuer) return false;
  const key = keys.get(proof.verificationMethod.slice(hash + 1));
  if (!key) return false;
  let signature;
  try {
    signature = base58.decode(proof.proofValue.slice(1));
  } catch (error) {
    return false;
  }
  if (signature.length !== 64) return false;
  const { proofValue, ...options } = proof;
  const { proof: _proof, ...document } = credential;
  const data = new Uint8Array(64);
  data.set(await sha256(canonicalize(options)), 0);
  data.set(await sha256(canonicalize(document)), 32);
  return ed25519Verify(key, signature, data);
}

async function gunzip(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

let saved = null; // {fetched, keys: Map kid -> raw key, lists: Map name -> {bits, url}}

async function load() {
  const cache = await caches.open(config.data_cache);
  const meta = await cache.match(META_URL);
  if (!meta) return null;
  const info = await meta.json();
  const keys = new Map();
  const keysResponse = await cache.match(config.keys_url);
  for (const jwk of keysResponse ? (await keysResponse.json()).keys : []) {
    if (jwk.kty === "OKP" && jwk.crv === "Ed25519" && jwk.kid && typeof jwk.x === "string") {
      try {
        keys.set(jwk.kid, b64urlDecode(jwk.x));
      } catch (error) {
        /* a key we cannot read is a key we do not have */
      }
    }
  }
  const lists = new Map();
  for (const path of info.lists) {
    const response = await cache.match(path);
    if (!response) continue;
    let credential;
    try {
      credential = await response.json();
    } catch (error) {
      continue;
    }
    const subject = credential?.credentialSubject || {};
    // The name comes from the signed id, never from where the file was found.
    const name = String(credential?.id || "").split("/").pop().replace(/\.json$/, "");
    if (subject.statusPurpose !== "revocation" || typeof subject.encodedList !== "string") continue;
    if (!subject.encodedList.startsWith("u")) continue;
    if (!(await listProofVerifies(credential, keys))) {
      console.warn("status list refused (its proof does not verify):", path);
      continue;
    }
    try {
      lists.set(name, { bits: await gunzip(b64urlDecode(subject.encodedList.slice(1))) });
    } catch (error) {
      /* an unreadable list counts as missing: the verdict says so */
    }
  }
  return { fetched: info.fetched, keys, lists };
}

function revokedBit(claims) {
  const match = /^([A-Z]{2,8}-\d{4})-(\d{1,7})$/.exec(claims.serial);
  const list = match && saved.lists.get(match[1]);
  if (!list) return null;
  const index = Number(match[2]);
  if (index >= list.bits.length * 8) return null;
  return Boolean(list.bits[index >> 3] & (0x80 >> (index & 7)));
}

export async function verify(text) {
  const token = tokenFromText(text);
  if (!token) throw new Verdict("empty");
  const { claims, signed, signature } = parseToken(token);
  if (!saved || saved.keys.size === 0) return { state: "no_data", claims: null };
  const key = saved.keys.get(claims.kid);
  if (!key) return { state: "unknown_key", claims: null };
  if (!(await ed25519Verify(key, signature, signed))) throw forged("signature");
  const revoked = revokedBit(claims);
  if (revoked) return { state: "revoked", claims };
  if (claims.expires !== null && claims.expires * 1000 <= Date.now()) {
    return { state: "expired", claims };
  }
  return { state: "valid", claims, unlisted: revoked === null };
}

// --- the page --------------------------------------------------------------------------------
const ICONS = {
  valid:
    '<circle cx="24" cy="24" r="22" fill="currentColor"/><path d="M13 25l7 7 15-16" fill="none" stroke="#fff" stroke-width="5" stroke-linecap="round" stroke-linejoin="round"/>',
  revoked:
    '<circle cx="24" cy="24" r="20" fill="none" stroke="currentColor" stroke-width="5"/><path d="M10 38L38 10" stroke="currentColor" stroke-width="5" stroke-linecap="round"/>',
  expired:
    '<circle cx="24" cy="24" r="20" fill="none" stroke="currentColor" stroke-width="5"/><path d="M24 12v13l8 6" fill="none" stroke="currentColor" stroke-width="5" stroke-linecap="round"/>',
  unknown_key:
    '<path d="M24 3L46 43H2z" fill="currentColor"/><path d="M24 17v13" stroke="#fff" stroke-width="5" stroke-linecap="round"/><circle cx="24" cy="37" r="3" fill="#fff"/>',
  forged:
    '<path d="M15 3h18l12 12v18L33 45H15L3 33V15z" fill="currentColor"/><path d="M16 16l16 16M32 16L16 32" stroke="#fff" stroke-width="5" stroke-linecap="round"/>',
};
const CSS_STATE = { valid: "valid", revoked: "revoked", expired: "expired", unknown_key: "unknown_key", forged: "invalid" };

function formatDay(iso) {
  const [year, month, day] = iso.split("-");
  return `${day}/${month}/${year}`;
}

function formatHours(text) {
  const shown = new Intl.NumberFormat(config.language, { maximumFractionDigits: 2 }).format(Number(text));
  return (Number(text) === 1 ? M.hour : M.hours).replace("%(hours)s", shown);
}

function show(result) {
  const box = $(".verdict-box");
  const details = $(".certified");
  $(".verifier-message").textContent = "";
  if (["empty", "no_data"].includes(result.state)) {
    box.hidden = true;
    details.hidden = true;
    $(".verifier-message").textContent = result.state === "empty" ? M.empty : M.no_data;
    root.dataset.verdict = result.state;
    return;
  }
  const state = result.state;
  box.className = `verdict-box verdict-${CSS_STATE[state]}`;
  box.dataset.verdict = state;
  root.dataset.verdict = state;
  box.querySelector(".verdict-icon").innerHTML = ICONS[state];
  box.querySelector(".verdict-title").textContent = M[state];
  let text = M[`${state}_text`];
  if (state === "expired") {
    text = `${text} ${formatDay(new Date(result.claims.expires * 1000).toISOString().slice(0, 10))}.`;
  }
  if (state === "valid" && result.unlisted) text = `${text} ${M.no_list}`;
  root.dataset.unlisted = result.unlisted ? "1" : "0";
  box.querySelector(".verdict-text").textContent = text;
  box.hidden = false;
  const claims = result.claims;
  details.hidden = !claims;
  if (claims) {
    details.querySelector(".holder").textContent = claims.holder;
    details.querySelector(".course").textContent = claims.course;
    details.querySelector(".hours").textContent = formatHours(claims.hours);
    details.querySelector(".completed-on").textContent = formatDay(claims.completedOn);
    details.querySelector(".issuer").textContent = claims.issuer;
    details.querySelector(".serial").textContent = claims.serial;
  }
}

async function check(text) {
  let result;
  try {
    result = await verify(text);
  } catch (error) {
    if (!(error instanceof Verdict)) console.error(error);
    result = { state: error instanceof Verdict ? error.state : "forged", claims: null };
  }
  show(result);
  return result;
}

function showSaved(note) {
  const time = $(".verifier-fetched");
  if (saved?.fetched) {
    const when = new Date(saved.fetched);
    time.dateTime = saved.fetched;
    time.textContent = when.toLocaleString(config.language === "vi" ? "vi-VN" : "en-GB");
  } else {
    time.textContent = M.never;
  }
  $(".verifier-lists").textContent = saved ? saved.lists.size : 0;
  $(".verifier-keys").textContent = saved ? saved.keys.size : 0;
  $(".verifier-network").textContent = note || "";
}

// --- QR codes: camera and photos -------------------------------------------------------------
let detector = null;

async function qrDetector() {
  if (detector) return detector;
  if ("BarcodeDetector" in window) {
    const formats = await window.BarcodeDetector.getSupportedFormats();
    if (formats.includes("qr_code")) return (detector = new window.BarcodeDetector({ formats: ["qr_code"] }));
  }
  // The ponyfill (barcode-detector, ZXing in WebAssembly), loaded only when needed, with its
  // WebAssembly from our static files (never a CDN).
  if (!window.BarcodeDetectionAPI) {
    await new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = config.barcode_url;
      script.onload = resolve;
      script.onerror = reject;
      document.head.append(script);
    });
  }
  const api = window.BarcodeDetectionAPI;
  api.prepareZXingModule({ overrides: { locateFile: () => config.wasm_url } });
  return (detector = new api.BarcodeDetector({ formats: ["qr_code"] }));
}

async function readQr(source) {
  const codes = await (await qrDetector()).detect(source);
  return codes.length ? codes[0].rawValue : null;
}

async function scanCamera() {
  const video = $(".verifier-video");
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
  } catch (error) {
    $(".verifier-message").textContent = M.camera_failed;
    return;
  }
  video.srcObject = stream;
  video.hidden = false;
  await video.play();
  $(".verifier-message").textContent = M.scanning;
  try {
    for (;;) {
      const value = await readQr(video).catch(() => null);
      if (value) {
        $("#verifier-code").value = value;
        await check(value);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
      if (video.hidden) return;
    }
  } finally {
    stream.getTracks().forEach((track) => track.stop());
    video.hidden = true;
  }
}

async function readPhoto(file) {
  let value = null;
  try {
    value = await readQr(await createImageBitmap(file));
  } catch (error) {
    console.error(error);
  }
  if (!value) {
    $(".verifier-message").textContent = M.no_qr;
    return;
  }
  $("#verifier-code").value = value;
  await check(value);
}

// --- start -----------------------------------------------------------------------------------
async function start() {
  $(".verifier-form").addEventListener("submit", () => check($("#verifier-code").value));
  $(".verifier-scan").addEventListener("click", scanCamera);
  $(".verifier-photo").addEventListener("change", (event) => {
    if (event.target.files[0]) readPhoto(event.target.files[0]);
  });
  let note = "";
  if (navigator.onLine) {
    try {
      await refresh();
      note = M.online;
    } catch (error) {
      console.warn(error);
      note = M.refresh_failed;
    }
  } else {
    note = M.offline;
  }
  saved = await load();
  showSaved(note);
  if ("serviceWorker" in navigator) {
    try {
      await navigator.serviceWorker.register(config.worker_url, { scope: config.scope });
      await navigator.serviceWorker.ready;
      $(".verifier-message").textContent = M.ready;
    } catch (error) {
      console.warn("service worker", error);
    }
  }
  root.dataset.ready = "1";
  const shared = new URLSearchParams(location.search).get("code");
  if (shared) {
    $("#verifier-code").value = shared;
    await check(shared);
  }
}

start();
