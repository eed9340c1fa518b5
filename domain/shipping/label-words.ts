// The words a label prints besides the addresses, in the languages markets may choose
// (a market's `language`); English when none is set.
export const LABEL_LANGUAGES = ['en', 'de', 'fr', 'es', 'it', 'nl', 'pl'] as const;
export type LabelLanguage = (typeof LABEL_LANGUAGES)[number];

interface LabelWords {
  from: string;
  shipTo: string;
  package: (index: number, count: number, kg: string) => string;
}

const WORDS: Record<LabelLanguage, LabelWords> = {
  en: { from: 'FROM', shipTo: 'SHIP TO', package: (i, n, kg) => `PACKAGE ${i} OF ${n} - ${kg} KG` },
  de: { from: 'ABSENDER', shipTo: 'EMPFÄNGER', package: (i, n, kg) => `PAKET ${i} VON ${n} - ${kg} KG` },
  fr: { from: 'EXPÉDITEUR', shipTo: 'DESTINATAIRE', package: (i, n, kg) => `COLIS ${i} SUR ${n} - ${kg} KG` },
  es: { from: 'REMITENTE', shipTo: 'DESTINATARIO', package: (i, n, kg) => `BULTO ${i} DE ${n} - ${kg} KG` },
  it: { from: 'MITTENTE', shipTo: 'DESTINATARIO', package: (i, n, kg) => `COLLO ${i} DI ${n} - ${kg} KG` },
  nl: { from: 'AFZENDER', shipTo: 'ONTVANGER', package: (i, n, kg) => `PAKKET ${i} VAN ${n} - ${kg} KG` },
  pl: { from: 'NADAWCA', shipTo: 'ODBIORCA', package: (i, n, kg) => `PACZKA ${i} Z ${n} - ${kg} KG` },
};

export function labelWords(language: LabelLanguage | undefined): LabelWords {
  return WORDS[language ?? 'en'];
}
