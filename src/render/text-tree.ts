/**
 * A pure tree formatter: nodes in, text out. It knows nothing of certificates, and nothing of
 * terminals either: colour comes in as plain functions (identity when colour is off).
 *
 *   Certificate
 *   ├─ Subject: CN=localhost
 *   └─ Validity
 *      ├─ Not before: 2025-01-01 00:00:00 UTC
 *      └─ Not after: 2027-01-01 00:00:00 UTC (expires in 214 days)
 */

/** What a value means to the reader; the palette decides what that looks like. */
export type Tone = 'good' | 'warning' | 'bad' | 'muted';

export interface TreeNode {
  label: string;
  /** Printed after `label: `; a node without one is a heading for its children. */
  value?: string;
  /** Colours the value (or the label, when there is no value). */
  tone?: Tone;
  children?: readonly TreeNode[];
}

export type Paint = (text: string) => string;

export interface Palette {
  /** Root labels. */
  heading: Paint;
  /** Labels of inner nodes. */
  label: Paint;
  /** The tree's lines. */
  branch: Paint;
  good: Paint;
  warning: Paint;
  bad: Paint;
  muted: Paint;
}

const identity: Paint = (text) => text;

export const PLAIN_PALETTE: Palette = {
  heading: identity,
  label: identity,
  branch: identity,
  good: identity,
  warning: identity,
  bad: identity,
  muted: identity,
};

/** Renders each root and its subtree; roots are separated by a blank line. No final newline. */
export function renderTree(roots: readonly TreeNode[], palette: Palette = PLAIN_PALETTE): string {
  return roots
    .map((root) => {
      const lines = [formatNode(root, palette.heading, palette)];
      appendChildren(lines, root.children ?? [], '', palette);
      return lines.join('\n');
    })
    .join('\n\n');
}

function appendChildren(
  lines: string[],
  children: readonly TreeNode[],
  indent: string,
  palette: Palette,
): void {
  children.forEach((child, index) => {
    const last = index === children.length - 1;
    const connector = palette.branch(last ? '└─ ' : '├─ ');
    lines.push(`${indent}${connector}${formatNode(child, palette.label, palette)}`);
    const childIndent = indent + palette.branch(last ? '   ' : '│  ');
    appendChildren(lines, child.children ?? [], childIndent, palette);
  });
}

function formatNode(node: TreeNode, paintLabel: Paint, palette: Palette): string {
  const paintTone = node.tone ? palette[node.tone] : identity;
  if (node.value === undefined) return paintTone(paintLabel(node.label));
  if (node.label === '') return paintTone(node.value);
  return `${paintLabel(`${node.label}:`)} ${paintTone(node.value)}`;
}
