import test from 'ava';
import { PLAIN_PALETTE, renderTree, type Palette } from '../../../src/render/text-tree.js';

test('draws children with branches, and the last child of each level with a corner', (t) => {
  const text = renderTree([
    {
      label: 'Certificate',
      children: [
        { label: 'Subject', value: 'CN=localhost' },
        {
          label: 'Validity',
          children: [
            { label: 'Not before', value: 'then' },
            { label: 'Not after', value: 'later' },
          ],
        },
        { label: 'Version', value: '3' },
      ],
    },
  ]);
  t.is(
    text,
    [
      'Certificate',
      '├─ Subject: CN=localhost',
      '├─ Validity',
      '│  ├─ Not before: then',
      '│  └─ Not after: later',
      '└─ Version: 3',
    ].join('\n'),
  );
});

test('a node under a last child is indented with spaces, not a bar', (t) => {
  const text = renderTree([
    { label: 'Root', children: [{ label: 'Only', children: [{ label: 'Deep', value: 'x' }] }] },
  ]);
  t.is(text, ['Root', '└─ Only', '   └─ Deep: x'].join('\n'));
});

test('roots are separated by one blank line and the output has no final newline', (t) => {
  const text = renderTree([{ label: 'One' }, { label: 'Two', value: '2' }]);
  t.is(text, 'One\n\nTwo: 2');
});

test('an empty label prints the value alone', (t) => {
  t.is(renderTree([{ label: 'List', children: [{ label: '', value: 'item' }] }]), 'List\n└─ item');
});

test('colour comes only from the palette: tones paint values, headings and labels their own', (t) => {
  const tag =
    (name: string) =>
    (text: string): string =>
      `<${name}>${text}</${name}>`;
  const palette: Palette = {
    heading: tag('h'),
    label: tag('l'),
    branch: (text) => text,
    good: tag('good'),
    warning: tag('warn'),
    bad: tag('bad'),
    muted: tag('muted'),
  };
  const text = renderTree(
    [
      {
        label: 'Cert',
        children: [
          { label: 'Status', value: 'EXPIRED', tone: 'bad' },
          { label: 'Plain', value: 'v' },
          { label: 'Note', tone: 'muted' },
        ],
      },
    ],
    palette,
  );
  t.is(
    text,
    [
      '<h>Cert</h>',
      '├─ <l>Status:</l> <bad>EXPIRED</bad>',
      '├─ <l>Plain:</l> v',
      '└─ <muted><l>Note</l></muted>',
    ].join('\n'),
  );
});

test('the plain palette adds no escape codes', (t) => {
  const text = renderTree(
    [{ label: 'A', children: [{ label: 'B', value: 'c', tone: 'bad' }] }],
    PLAIN_PALETTE,
  );
  t.false(text.includes('\u001b'));
});
