import { describe, expect, it } from 'vitest';
import { children, childText, parseXml, toXml, XmlSyntaxError } from '../../../../infra/local/s3/xml.ts';

describe('parseXml', () => {
  it('reads nested elements, namespaces, CDATA, comments and entities', () => {
    // Prepare
    const body = `<?xml version="1.0" encoding="UTF-8"?>
      <Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><!-- a comment -->
        <Quiet>true</Quiet>
        <Object><Key>a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos; &#65;&#x42;</Key></Object>
        <Object><Key><![CDATA[<raw & text>]]></Key></Object>
        <s3:Object xmlns:s3="x"><s3:Key attr="a>b">prefixed</s3:Key></s3:Object>
      </Delete>`;

    // Act
    const root = parseXml(body);

    // Assess
    expect(root.name).toBe('Delete');
    expect(childText(root, 'Quiet')).toBe('true');
    expect(children(root, 'Object').map((o) => childText(o, 'Key'))).toEqual([
      'a & b <c> "d" \'e\' AB',
      '<raw & text>',
      'prefixed',
    ]);
  });

  it.each([
    ['unclosed element', '<Delete><Object></Delete>'],
    ['mismatched tag', '<a><b></a></b>'],
    ['two roots', '<a/><b/>'],
    ['text outside the root', 'hello <a/>'],
    ['unknown entity', '<a>&nbsp;</a>'],
    ['DOCTYPE (entity expansion)', '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'],
    ['empty document', '   '],
    ['unterminated start tag', '<a'],
  ])('refuses %s', (_label, body) => {
    expect(() => parseXml(body)).toThrow(XmlSyntaxError);
  });
});

describe('toXml', () => {
  it('renders S3 documents with the namespace, repeated elements and escaped text', () => {
    // Act
    const xml = toXml('DeleteResult', { Deleted: [{ Key: 'a<b' }, { Key: 'c&d' }], Skipped: undefined, Count: 2 });

    // Assess
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
        '<Deleted><Key>a&lt;b</Key></Deleted><Deleted><Key>c&amp;d</Key></Deleted><Count>2</Count></DeleteResult>',
    );
    expect(childText(children(parseXml(xml), 'Deleted')[1]!, 'Key')).toBe('c&d');
  });
});
