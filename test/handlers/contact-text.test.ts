import type { Contact } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { contactText } from '../../handlers/contact-text.ts';

const card = (vcard: string, phone = '+4930123'): Contact => ({ phone_number: phone, first_name: 'Ada', vcard });

describe('a shared contact card as the model reads it', () => {
  it('reads a vCard 4.0 with folded lines, a grouped property and escapes, leaving out the number it repeats', () => {
    const vcard = ['BEGIN:VCARD', 'VERSION:4.0', 'FN:Ada', 'TEL;TYPE=cell:+49 30 123', 'TEL;TYPE=work:+49 30 999', 'item1.EMAIL;TYPE=work:ada@exam', ' ple.com', 'NOTE:Meet at 9\\, gate B\\; bring\\nthe badge; C:\\\\new', 'END:VCARD'].join('\r\n');
    expect(contactText(card(vcard))).toBe('[The user shared a contact card: Ada, phone +4930123, phone +49 30 999, email ada@example.com, note Meet at 9, gate B; bring the badge, C:\\new.]');
  });

  it('reads a quoted parameter holding a colon, and an address in its components', () => {
    const vcard = 'BEGIN:VCARD\nVERSION:4.0\nADR;GEO="geo:12.3,45.6";TYPE=home:;;1 Main St;Arlington;VA;22201;USA\nEND:VCARD';
    expect(contactText(card(vcard))).toBe('[The user shared a contact card: Ada, phone +4930123, address 1 Main St, Arlington, VA, 22201, USA.]');
  });

  it('decodes a vCard 2.1 quoted-printable value in its charset, across soft line breaks', () => {
    // "ул. Пушкина 10" (UTF-8) and "Müller GmbH" (Windows-1252), as phones' address books export them.
    const vcard = [
      'BEGIN:VCARD',
      'VERSION:2.1',
      'ADR;HOME;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:;;=D1=83=D0=BB. =D0=9F=D1=83=D1=88=D0=BA=D0=B8=D0=BD=D0=B0=',
      ' 10;;;;',
      'ORG;CHARSET=WINDOWS-1252;QUOTED-PRINTABLE:M=FCller GmbH',
      'END:VCARD',
    ].join('\r\n');
    expect(contactText(card(vcard))).toBe('[The user shared a contact card: Ada, phone +4930123, address ул. Пушкина 10, organization Müller GmbH.]');
  });

  it('clips a long card at a whole character, never half an emoji', () => {
    const text = contactText(card(`NOTE:${'😀'.repeat(600)}`));
    expect(text).toMatch(/😀…\.\]$/);
    expect(text.isWellFormed()).toBe(true);
  });

  it('clips a long card', () => {
    const text = contactText(card(`NOTE:${'x'.repeat(2000)}`));
    expect(text.length).toBeLessThan(800);
    expect(text).toMatch(/x…\.\]$/);
  });
});
