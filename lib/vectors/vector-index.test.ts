import { describe, expect, it } from "vitest";
import { fromBytes, fromPgVector, simdAvailable, toBytes, toPgVector, VectorIndex, type SearchHit } from "@/lib/vectors/vector-index";
import { mulberry32 } from "@/test/random";

function randomUnit(rand: () => number, dim: number): Float32Array {
  const v = new Float32Array(dim);
  let s = 0;
  for (let i = 0; i < dim; i++) {
    const g = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    v[i] = g;
    s += g * g;
  }
  for (let i = 0; i < dim; i++) v[i] = v[i]! / Math.sqrt(s);
  return v;
}

/** Score everything in double precision, full sort, ties by id. */
function bruteForce(data: Map<string, Float32Array>, q: Float32Array, k: number, filter?: (id: string) => boolean): SearchHit[] {
  const all: SearchHit[] = [];
  for (const [id, v] of data) {
    if (filter && !filter(id)) continue;
    let s = 0;
    for (let i = 0; i < v.length; i++) s += q[i]! * v[i]!;
    all.push({ id, score: s });
  }
  all.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return all.slice(0, Math.max(0, k));
}

function expectSame(got: SearchHit[], want: SearchHit[]) {
  expect(got.map((h) => h.id)).toEqual(want.map((h) => h.id));
  got.forEach((h, i) => expect(h.score).toBeCloseTo(want[i]!.score, 9));
}

const modes = [
  { name: "int8 prefilter", quantize: true },
  { name: "exact JS scan", quantize: false },
] as const;

describe.each(modes)("VectorIndex ($name)", ({ quantize }) => {
  it(quantize ? "runs the WebAssembly SIMD prefilter on this Node" : "can be told not to quantize", () => {
    const idx = new VectorIndex(8, { quantize });
    expect(idx.quantized).toBe(quantize && simdAvailable());
    if (quantize) expect(simdAvailable()).toBe(true); // Node ≥ 16 has WebAssembly SIMD
  });

  for (const dim of [64, 50, 512]) {
    it(`returns exactly the brute-force top-k on random data (dim ${dim})`, () => {
      const rand = mulberry32(dim);
      const idx = new VectorIndex(dim, { quantize, initialCapacity: 16 }); // grows several times
      const data = new Map<string, Float32Array>();
      const n = dim === 512 ? 2000 : 3000;
      for (let i = 0; i < n; i++) {
        const v = randomUnit(rand, dim);
        data.set(`v${i}`, v);
        idx.upsert(`v${i}`, v);
      }
      expect(idx.size).toBe(n);
      for (let t = 0; t < 15; t++) {
        const q = randomUnit(rand, dim);
        for (const k of [1, 10, 37]) expectSame(idx.search(q, k), bruteForce(data, q, k));
      }
      // a query equal to a stored vector finds it first, with score ≈ 1
      const hit = idx.search(data.get("v123")!, 3)[0]!;
      expect(hit.id).toBe("v123");
      expect(hit.score).toBeCloseTo(1, 6);
    });
  }

  it("stays exact on near-duplicates that int8 cannot tell apart", () => {
    const rand = mulberry32(7);
    const dim = 96;
    const base = randomUnit(rand, dim);
    const idx = new VectorIndex(dim, { quantize });
    const data = new Map<string, Float32Array>();
    for (let i = 0; i < 500; i++) {
      const v = new Float32Array(dim);
      for (let j = 0; j < dim; j++) v[j] = base[j]! + (rand() - 0.5) * 1e-4;
      data.set(`d${i}`, v);
      idx.upsert(`d${i}`, v);
    }
    for (let i = 0; i < 500; i++) {
      const v = randomUnit(rand, dim);
      data.set(`r${i}`, v);
      idx.upsert(`r${i}`, v);
    }
    for (let t = 0; t < 5; t++) {
      const q = new Float32Array(dim);
      for (let j = 0; j < dim; j++) q[j] = base[j]! + (rand() - 0.5) * 1e-3;
      expectSame(idx.search(q, 10), bruteForce(data, q, 10));
    }
  });

  it("breaks exact ties by id and handles zero vectors", () => {
    const idx = new VectorIndex(4, { quantize });
    const v = new Float32Array([0.5, 0.5, 0.5, 0.5]);
    for (const id of ["c", "a", "d", "b"]) idx.upsert(id, v);
    idx.upsert("zero", new Float32Array(4));
    expect(idx.search(v, 3).map((h) => h.id)).toEqual(["a", "b", "c"]);
    expect(idx.search(new Float32Array(4), 2)).toEqual([
      { id: "a", score: 0 },
      { id: "b", score: 0 },
    ]);
  });

  it("upsert replaces, remove swaps the last row in, and search follows", () => {
    const rand = mulberry32(99);
    const dim = 32;
    const idx = new VectorIndex(dim, { quantize, initialCapacity: 4 });
    const data = new Map<string, Float32Array>();
    for (let i = 0; i < 300; i++) {
      const v = randomUnit(rand, dim);
      data.set(`x${i}`, v);
      idx.upsert(`x${i}`, v);
    }
    // replace a third, remove a third (including the last rows and ids never stored)
    for (let i = 0; i < 300; i += 3) {
      const v = randomUnit(rand, dim);
      data.set(`x${i}`, v);
      idx.upsert(`x${i}`, v);
    }
    for (let i = 1; i < 300; i += 3) {
      expect(idx.remove(`x${i}`)).toBe(true);
      data.delete(`x${i}`);
    }
    expect(idx.remove("x1")).toBe(false);
    expect(idx.remove("nope")).toBe(false);
    expect(idx.remove("x299")).toBe(true); // the last row
    data.delete("x299");
    expect(idx.size).toBe(data.size);
    for (const [id, v] of data) {
      expect(idx.has(id)).toBe(true);
      expect(idx.get(id)).toEqual(v);
    }
    expect(idx.has("x1")).toBe(false);
    expect(idx.get("x1")).toBeUndefined();
    for (let t = 0; t < 10; t++) {
      const q = randomUnit(rand, dim);
      expectSame(idx.search(q, 15), bruteForce(data, q, 15));
    }
    // re-adding after removal
    const v = randomUnit(rand, dim);
    idx.upsert("x1", v);
    data.set("x1", v);
    expect(idx.search(v, 1)[0]!.id).toBe("x1");
    // empty it
    for (const id of [...data.keys()]) idx.remove(id);
    expect(idx.size).toBe(0);
    expect(idx.search(v, 5)).toEqual([]);
  });

  it("applies the filter and returns fewer than k when fewer rows pass", () => {
    const rand = mulberry32(5);
    const dim = 48;
    const idx = new VectorIndex(dim, { quantize });
    const data = new Map<string, Float32Array>();
    for (let i = 0; i < 1000; i++) {
      const v = randomUnit(rand, dim);
      const id = `${i % 3 === 0 ? "org-a" : "org-b"}:${i}`;
      data.set(id, v);
      idx.upsert(id, v);
    }
    const onlyA = (id: string) => id.startsWith("org-a:");
    for (let t = 0; t < 10; t++) {
      const q = randomUnit(rand, dim);
      const got = idx.search(q, 20, onlyA);
      expect(got.every((h) => onlyA(h.id))).toBe(true);
      expectSame(got, bruteForce(data, q, 20, onlyA));
    }
    const three = new Set(["org-b:1", "org-b:2", "org-a:3"]);
    const q = randomUnit(rand, dim);
    expectSame(idx.search(q, 10, (id) => three.has(id)), bruteForce(data, q, 10, (id) => three.has(id)));
    expect(idx.search(q, 10, () => false)).toEqual([]);
  });

  it("handles k larger than the size, k ≤ 0 and validates dimensions", () => {
    const idx = new VectorIndex(3, { quantize });
    idx.upsert("a", new Float32Array([1, 0, 0]));
    idx.upsert("b", new Float32Array([0, 1, 0]));
    expect(idx.search(new Float32Array([1, 0.5, 0]), 10).map((h) => h.id)).toEqual(["a", "b"]);
    expect(idx.search(new Float32Array([1, 0, 0]), 0)).toEqual([]);
    expect(idx.search(new Float32Array([1, 0, 0]), -1)).toEqual([]);
    expect(() => idx.upsert("c", new Float32Array(4))).toThrow(/dimension 4, index has 3/);
    expect(() => idx.search(new Float32Array(2), 1)).toThrow(/dimension 2/);
    expect(() => idx.upsert("c", new Float32Array([NaN, 0, 0]))).toThrow(/non-finite/);
    expect(() => idx.upsert("c", [1, 2, 3] as unknown as Float32Array)).toThrow(TypeError);
    expect(() => new VectorIndex(0)).toThrow();
  });
});

describe("vector serialization", () => {
  const rand = mulberry32(1);
  const v = randomUnit(rand, 512);

  it("round-trips float32 little-endian bytes, also from an unaligned slice", () => {
    const b = toBytes(v);
    expect(b.length).toBe(2048);
    expect(b.readFloatLE(4)).toBe(v[1]);
    expect(fromBytes(b)).toEqual(v);
    const padded = new Uint8Array(b.length + 3);
    padded.set(b, 1);
    expect(fromBytes(padded.subarray(1, 1 + b.length))).toEqual(v);
    // a copy: changing the source later changes nothing
    const w = v.slice();
    const bw = toBytes(w);
    w[0] = 42;
    expect(fromBytes(bw)[0]).toBe(v[0]);
    expect(() => fromBytes(new Uint8Array(7))).toThrow(/multiple of 4/);
    expect(fromBytes(new Uint8Array(0))).toEqual(new Float32Array(0));
  });

  it("writes pgvector literals that parse back to the same float32 values", () => {
    const s = toPgVector(v);
    expect(s).toMatch(/^\[-?\d[^,\]]*(,-?\d[^,\]]*){511}\]$/);
    expect(fromPgVector(s)).toEqual(v);
    expect(toPgVector(new Float32Array([0.1, -0.5, 0, 1e-8, 3]))).toBe("[0.1,-0.5,0,1e-8,3]");
    expect(fromPgVector("[0.1, -0.5 ,0]")).toEqual(new Float32Array([0.1, -0.5, 0]));
    expect(fromPgVector("[]")).toEqual(new Float32Array(0));
    expect(() => toPgVector(new Float32Array([Infinity]))).toThrow(/non-finite/);
    expect(() => fromPgVector("0.1,0.2")).toThrow();
    expect(() => fromPgVector("[0.1,,0.2]")).toThrow(/index 1/);
  });
});
