import { readElement, type DerElement } from '../describe/der.js';

/** A DER element with its whole encoding (header and content), for byte-exact comparisons. */
export interface EncodedElement extends DerElement {
  bytes: Uint8Array;
}

/** The elements inside a constructed value's content, in order. Throws RangeError if cut. */
export function elementsWithBytes(content: Uint8Array): EncodedElement[] {
  const elements: EncodedElement[] = [];
  for (let offset = 0; offset < content.length;) {
    const element = readElement(content, offset);
    elements.push({ ...element, bytes: content.subarray(offset, element.end) });
    offset = element.end;
  }
  return elements;
}
