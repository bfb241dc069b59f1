// The JavaScript side of the side-by-side benchmark (tests/tests/arrow_bench.rs): the aggregations of Rumbo's
// default coverage view (shared::dashboard::Breakdown::compute and the five KPI tiles, Tile::compute), written
// with apache-arrow JS two ways: idiomatic (Vector.get(i) per cell) and expert (typed arrays over the dictionary
// keys and the value buffer). Both return the same JSON shape as the wasm `bench_first_view`, so the benchmark
// checks that all three computed the same figures before it compares their times.
/* global Arrow */
'use strict';

const TOTAL = '_T';
const DIMS = ['indicator', 'period', 'territory', 'service', 'population', 'sex', 'age_group', 'status'];

function emptySum() {
  return [0, 0, 0, 0]; // value, reported, suppressed, missing
}

function addTo(sum, value, status) {
  if (value !== null) {
    sum[0] += value;
    sum[1] += 1;
  } else if (status === 'suppressed') {
    sum[2] += 1;
  } else {
    sum[3] += 1;
  }
}

function isMonth(code) {
  return code.length === 7 && code[4] === '-';
}

/// A ratio's cell of one period (Sum::ratio): a value only when numerator and denominator both have one.
function ratio(n, d) {
  const both = n[1] > 0 && d[1] > 0;
  const unpaired = !both && (n[1] > 0 || d[1] > 0);
  return [both ? n[0] : 0, both ? Math.max(n[1], d[1]) : 0, n[2] + d[2], n[3] + d[3] + (unpaired ? 1 : 0), both ? d[0] : null];
}

/// The stored periods of a window added up (Sum::add): `[value, reported, suppressed, missing, denominator]`.
function windowSum(cellOf, periods) {
  const acc = [0, 0, 0, 0, null];
  for (const code of periods) {
    const s = cellOf(code);
    for (let i = 0; i < 4; i++) acc[i] += s[i];
    if (s[4] !== null) acc[4] = (acc[4] ?? 0) + s[4];
  }
  return acc;
}

/// dashboard::display: a ratio of sums, a count's sum, or a rate given by exactly one row.
function display(tile, sum) {
  if (sum[4] !== null) return sum[1] > 0 && sum[4] > 0 ? (sum[0] / sum[4]) * (tile.percent ? 100 : 1) : null;
  if (tile.count) return sum[1] > 0 ? sum[0] : null;
  return sum[1] === 1 ? sum[0] : null;
}

/// Tile::compute's figures from a tile's sums by period code (its numerator's, and for a ratio its denominator's).
function tileOf(tile, num, den) {
  const empty = [0, 0, 0, 0];
  const cellOf = (code) => {
    const n = num.get(code) ?? empty;
    return tile.denominator === null ? [...n, null] : ratio(n, den.get(code) ?? empty);
  };
  const show = (periods) => display(tile, windowSum(cellOf, periods));
  return [tile.indicator, tile.population, show(tile.current), show(tile.previous), show(tile.year_to_date)];
}

function nonEmpty(sum) {
  return sum[1] + sum[2] + sum[3] > 0;
}

function sortedEntries(map) {
  return [...map.entries()].filter(([, s]) => nonEmpty(s));
}

/// Breakdown's lists in Rust's order: dictionary order for codes (canonical dictionaries are sorted), months sorted.
function byKeyOrder(map, order) {
  return order.filter((code) => map.has(code) && nonEmpty(map.get(code))).map((code) => [code, map.get(code)]);
}

// ---------------------------------------------------------------------------------------------------------------
// Idiomatic: one Vector.get(i) per cell, strings compared, Maps keyed by code.

function idiomatic(bytes, p) {
  const table = Arrow.tableFromIPC(bytes);
  const col = {};
  for (const name of [...DIMS, 'value']) col[name] = table.getChild(name);
  const n = table.numRows;
  const place = new Set(p.place);
  const read = new Set(p.periods);
  const inPeriod = (code) => read.has(code);
  const get = (m, k) => {
    let s = m.get(k);
    if (!s) {
      s = emptySum();
      m.set(k, s);
    }
    return s;
  };
  const total = emptySum();
  const [byTerritory, byMonth, byService, byPopulation, byPopSex, byAge] = [0, 0, 0, 0, 0, 0].map(() => new Map());
  for (let row = 0; row < n; row++) {
    if (col.indicator.get(row) !== p.indicator) continue;
    const per = col.period.get(row);
    const ter = col.territory.get(row);
    const ser = col.service.get(row);
    const pop = col.population.get(row);
    const sex = col.sex.get(row);
    const age = col.age_group.get(row);
    const value = col.value.get(row);
    const status = col.status.get(row);
    const [mSer, mPop, mSex, mAge] = [ser === TOTAL, pop === TOTAL, sex === TOTAL, age === TOTAL];
    const periodOk = inPeriod(per);
    const placeOk = place.has(ter);
    if (mSer && mPop && mSex && mAge) {
      if (placeOk) addTo(get(byMonth, per), value, status);
      if (periodOk) {
        addTo(get(byTerritory, ter), value, status);
        if (placeOk) addTo(total, value, status);
      }
    }
    if (!(periodOk && placeOk)) continue;
    if (mPop && mSex && mAge && ser !== TOTAL) addTo(get(byService, ser), value, status);
    if (mSer && mSex && mAge && pop !== TOTAL) addTo(get(byPopulation, pop), value, status);
    if (mSer && mAge && pop !== TOTAL && sex !== TOTAL) addTo(get(byPopSex, `${pop}|${sex}`), value, status);
    if (mSer && mPop && mSex && age !== TOTAL) addTo(get(byAge, age), value, status);
  }
  const tiles = p.tiles.map((tile) => {
    const [num, den] = [new Map(), new Map()];
    for (let row = 0; row < n; row++) {
      const ind = col.indicator.get(row);
      const series = ind === tile.numerator ? num : ind === tile.denominator ? den : null;
      if (
        series !== null &&
        col.service.get(row) === TOTAL &&
        col.population.get(row) === tile.population &&
        col.sex.get(row) === TOTAL &&
        col.age_group.get(row) === TOTAL &&
        place.has(col.territory.get(row))
      ) {
        addTo(get(series, col.period.get(row)), col.value.get(row), col.status.get(row));
      }
    }
    return tileOf(tile, num, den);
  });
  const dict = (name) => [...table.getChild(name).data[0].dictionary];
  return {
    rows: n,
    total,
    by_territory: byKeyOrder(byTerritory, dict('territory')),
    by_service: byKeyOrder(byService, dict('service')),
    by_population: byKeyOrder(byPopulation, dict('population')),
    by_population_sex: sortedEntries(byPopSex),
    by_age: byKeyOrder(byAge, dict('age_group')),
    by_month: [...byMonth.keys()].filter(isMonth).sort().filter((m) => nonEmpty(byMonth.get(m))).map((m) => [m, byMonth.get(m)]),
    tiles,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Expert: the dictionary keys and the value buffer as typed arrays, codes resolved to keys once, dense arrays of
// sums indexed by key, and each indicator's contiguous rows found once (as Rumbo's Facts::rows_of does).

function keysOf(table, name) {
  const data = table.getChild(name).data[0];
  return { keys: data.values.subarray(data.offset, data.offset + data.length), codes: [...data.dictionary] };
}

function keyOf(dim, code) {
  const k = dim.codes.indexOf(code);
  return k < 0 ? -32768 : k;
}

function expert(bytes, p) {
  const table = Arrow.tableFromIPC(bytes);
  const n = table.numRows;
  const d = {};
  for (const name of DIMS) d[name] = keysOf(table, name);
  const valueData = table.getChild('value').data[0];
  const values = valueData.values;
  const offset = valueData.offset;
  const validity = valueData.nullCount > 0 ? valueData.nullBitmap : null;
  const suppressed = keyOf(d.status, 'suppressed');
  const statusKeys = d.status.keys;
  const add = (sums, cell, row) => {
    const at = cell * 4;
    const bit = offset + row;
    if (validity === null || (validity[bit >> 3] >> (bit & 7)) & 1) {
      sums[at] += values[offset + row];
      sums[at + 1] += 1;
    } else if (statusKeys[row] === suppressed) {
      sums[at + 2] += 1;
    } else {
      sums[at + 3] += 1;
    }
  };
  // Each indicator key's rows, when contiguous.
  const ind = d.indicator.keys;
  const runs = new Map();
  let grouped = true;
  for (let start = 0; start < n; ) {
    const key = ind[start];
    let end = start + 1;
    while (end < n && ind[end] === key) end++;
    if (runs.has(key)) grouped = false;
    runs.set(key, [start, end]);
    start = end;
  }
  const rowsOf = (key) => (grouped ? runs.get(key) || [0, 0] : [0, n]);
  const place = Uint8Array.from(d.territory.codes, (c) => (p.place.includes(c) ? 1 : 0));
  const per = d.period.keys, ter = d.territory.keys, ser = d.service.keys;
  const pop = d.population.keys, sex = d.sex.keys, age = d.age_group.keys;
  const [tSer, tPop, tSex, tAge] = [d.service, d.population, d.sex, d.age_group].map((dim) => keyOf(dim, TOTAL));
  const dense = (dim) => new Float64Array(dim.codes.length * 4);
  const list = (dim, sums, skip) => {
    const out = [];
    for (let k = 0; k < dim.codes.length; k++) {
      const s = Array.from(sums.subarray(k * 4, k * 4 + 4));
      if (k !== skip && nonEmpty(s)) out.push([dim.codes[k], s]);
    }
    return out;
  };
  const months = (sums) => list(d.period, sums, -1).filter(([m]) => isMonth(m)).sort((a, b) => (a[0] < b[0] ? -1 : 1));

  const k = keyOf(d.indicator, p.indicator);
  const inPeriod = Uint8Array.from(d.period.codes, (c) => (p.periods.includes(c) ? 1 : 0));
  const total = new Float64Array(4);
  const byTerritory = dense(d.territory), byMonth = dense(d.period), byService = dense(d.service);
  const byPopulation = dense(d.population), byAge = dense(d.age_group);
  const nSex = d.sex.codes.length;
  const byPopSex = new Float64Array(d.population.codes.length * nSex * 4);
  const [from, to] = rowsOf(k);
  for (let row = from; row < to; row++) {
    if (ind[row] !== k) continue;
    const mSer = ser[row] === tSer, mPop = pop[row] === tPop, mSex = sex[row] === tSex, mAge = age[row] === tAge;
    const periodOk = inPeriod[per[row]] === 1;
    const placeOk = place[ter[row]] === 1;
    if (mSer && mPop && mSex && mAge) {
      if (placeOk) add(byMonth, per[row], row);
      if (periodOk) {
        add(byTerritory, ter[row], row);
        if (placeOk) add(total, 0, row);
      }
    }
    if (!(periodOk && placeOk)) continue;
    if (mPop && mSex && mAge && ser[row] !== tSer) add(byService, ser[row], row);
    if (mSer && mSex && mAge && pop[row] !== tPop) add(byPopulation, pop[row], row);
    if (mSer && mAge && pop[row] !== tPop && sex[row] !== tSex) add(byPopSex, pop[row] * nSex + sex[row], row);
    if (mSer && mPop && mSex && age[row] !== tAge) add(byAge, age[row], row);
  }
  const popSex = [];
  for (let cell = 0; cell < d.population.codes.length * nSex; cell++) {
    const s = Array.from(byPopSex.subarray(cell * 4, cell * 4 + 4));
    if (nonEmpty(s)) popSex.push([`${d.population.codes[Math.floor(cell / nSex)]}|${d.sex.codes[cell % nSex]}`, s]);
  }
  const tiles = p.tiles.map((tile) => {
    const tp = keyOf(d.population, tile.population);
    const byCode = (indicator) => {
      if (indicator === null) return new Map();
      const tk = keyOf(d.indicator, indicator);
      const series = dense(d.period);
      const [a, b] = rowsOf(tk);
      for (let row = a; row < b; row++) {
        if (ind[row] === tk && ser[row] === tSer && pop[row] === tp && sex[row] === tSex && age[row] === tAge && place[ter[row]] === 1) {
          add(series, per[row], row);
        }
      }
      return new Map(list(d.period, series, -1));
    };
    return tileOf(tile, byCode(tile.numerator), byCode(tile.denominator));
  });
  return {
    rows: n,
    total: Array.from(total),
    by_territory: list(d.territory, byTerritory, -1),
    by_service: list(d.service, byService, tSer),
    by_population: list(d.population, byPopulation, tPop),
    by_population_sex: popSex,
    by_age: list(d.age_group, byAge, tAge),
    by_month: months(byMonth),
    tiles,
  };
}

window.rumboArrowBench = { idiomatic, expert };
