import { median, type Sample } from './measure.js';

/** A side-by-side comparison: tlskit against a peer, with the goal it is held to. */
export interface Comparison {
  title: string;
  tlskit: Sample;
  peer: Sample;
  /** tlskit's median divided by the peer's must be at most this (e.g. 2 for "at most 2x"). */
  maxRatio: number;
  goal: string;
}

export interface ComparisonResult {
  title: string;
  goal: string;
  tlskit: SampleSummary;
  peer: SampleSummary;
  ratio: number;
  met: boolean;
}

export interface SampleSummary {
  label: string;
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  maxRssKiB: number | null;
}

export function summarise(sample: Sample): SampleSummary {
  return {
    label: sample.label,
    runs: sample.millis.length,
    medianMs: round(median(sample.millis)),
    minMs: round(Math.min(...sample.millis)),
    maxMs: round(Math.max(...sample.millis)),
    maxRssKiB: sample.maxRssKiB ?? null,
  };
}

export function compare(comparison: Comparison): ComparisonResult {
  const tlskit = summarise(comparison.tlskit);
  const peer = summarise(comparison.peer);
  const ratio = round(tlskit.medianMs / peer.medianMs, 2);
  return {
    title: comparison.title,
    goal: comparison.goal,
    tlskit,
    peer,
    ratio,
    met: ratio <= comparison.maxRatio,
  };
}

export function formatComparison(result: ComparisonResult): string {
  const line = (s: SampleSummary) => {
    const rss = s.maxRssKiB ? `  peak ${Math.round(s.maxRssKiB / 1024)} MiB` : '';
    return `    ${s.label.padEnd(44)} median ${fmt(s.medianMs)}  (min ${fmt(s.minMs)}, max ${fmt(s.maxMs)}, ${s.runs} runs)${rss}`;
  };
  const verdict = result.met ? 'goal met' : 'GOAL MISSED';
  return [
    `${result.title}`,
    line(result.tlskit),
    line(result.peer),
    `    ratio tlskit/peer = ${result.ratio.toFixed(2)}   goal: ${result.goal}   → ${verdict}`,
  ].join('\n');
}

function fmt(ms: number): string {
  return `${ms.toFixed(1)} ms`.padStart(10);
}

function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
