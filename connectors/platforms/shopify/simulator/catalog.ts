// What the generated shop sells and where its buyers live: enough variety for the mappings (unicode names,
// 0- and 3-decimal currencies, gift cards, digital goods, commas and quotes in titles).

export interface Product {
  title: string;
  sku: string | null;
  variants: Array<string | null>;
  /** Price in USD; gift cards are worth their face value. */
  usd: number;
  giftCard?: boolean;
  digital?: boolean;
  vendor: string | null;
}

export const PRODUCTS: Product[] = [
  { title: 'Wool Sweater', sku: 'SWTR', variants: ['S / Forest', 'M / Forest', 'L / Navy'], usd: 80, vendor: 'Pracownia' },
  { title: 'Silk Scarf', sku: 'SCARF', variants: [null], usd: 25, vendor: null },
  { title: 'Canvas Tote', sku: 'TOTE', variants: [''], usd: 18, vendor: 'Pracownia' },
  { title: 'Leinenhemd', sku: 'LH', variants: ['M / Weiß', 'L / Weiß'], usd: 59.9, vendor: 'Kleiderei' },
  { title: '抹茶 宇治', sku: 'MATCHA', variants: ['40g', '100g'], usd: 15, vendor: '宇治園' },
  { title: 'Oud Perfume', sku: 'OUD', variants: ['50ml', '100ml'], usd: 40.5, vendor: null },
  { title: 'E-book: Northern Lights', sku: 'EBOOK-NL', variants: [null], usd: 14.99, digital: true, vendor: null },
  { title: 'Gift Card', sku: null, variants: ['$25', '$50', '$100'], usd: 50, giftCard: true, digital: true, vendor: null },
  { title: 'Ceramic Mug', sku: 'MUG', variants: ['White', 'Blue'], usd: 12.5, vendor: 'Kiln & Co' },
  { title: 'Łódź City Poster', sku: 'POSTER-LDZ', variants: ['50×70'], usd: 22, vendor: null },
  { title: 'Café Beans 1kg', sku: 'BEANS-1K', variants: ['Whole', 'Ground'], usd: 31, vendor: 'Tostadora' },
  { title: 'Sneakers "Runner"', sku: 'RUN', variants: ['42', '43', '44'], usd: 119, vendor: 'Stride' },
  { title: 'Notebook, dotted', sku: 'NB-DOT', variants: ['A5'], usd: 9.75, vendor: null },
  { title: 'Kaffekopp', sku: 'KOPP', variants: [null], usd: 16, vendor: 'Glasbruk' },
  { title: 'Incense Burner', sku: 'BURNER', variants: ['Brass'], usd: 24.4, vendor: null },
  { title: 'Online Workshop', sku: 'WORKSHOP', variants: ['Live'], usd: 45, digital: true, vendor: null },
];

export interface Region {
  country: string;
  code: string;
  province: string | null;
  provinceCode: string | null;
  city: string;
  zip: string | null;
  street: string;
  phone: string;
  taxRate: number;
  taxTitle: string;
  locale: string;
  currency: string;
  names: Array<[string, string]>;
  carrier: { company: string; url: (n: string) => string; prefix: string };
  gateway: string;
}

export const REGIONS: Region[] = [
  {
    country: 'United States', code: 'US', province: 'Kentucky', provinceCode: 'KY', city: 'Louisville', zip: '40202',
    street: 'Chestnut Street 92', phone: '+1 502-459-2181', taxRate: 0.06, taxTitle: 'State Tax', locale: 'en', currency: 'USD',
    names: [['Bob', 'Norman'], ['Ava', 'Johnson'], ['Marcus', 'Lee']],
    carrier: { company: 'UPS', url: (n) => `https://www.ups.com/track?tracknum=${n}`, prefix: '1Z' }, gateway: 'shopify_payments',
  },
  {
    country: 'Germany', code: 'DE', province: null, provinceCode: null, city: 'Berlin', zip: '10119',
    street: 'Schönhauser Allee 12', phone: '+49 30 1234567', taxRate: 0.19, taxTitle: 'MwSt', locale: 'de-DE', currency: 'EUR',
    names: [['Lena', 'Müller'], ['Jürgen', 'Groß']],
    carrier: { company: 'DHL Express', url: (n) => `https://www.dhl.com/track?AWB=${n}`, prefix: 'JD' }, gateway: 'paypal',
  },
  {
    country: 'Poland', code: 'PL', province: null, provinceCode: null, city: 'Kraków', zip: '31-001',
    street: 'ul. Źródlana 7', phone: '+48 601 234 567', taxRate: 0.23, taxTitle: 'VAT', locale: 'pl', currency: 'EUR',
    names: [['Zoë', 'Łukasiewicz'], ['Bożena', 'Wróbel']],
    carrier: { company: 'InPost', url: (n) => `https://inpost.pl/sledzenie-przesylek?number=${n}`, prefix: '62' }, gateway: 'shopify_payments',
  },
  {
    country: 'Japan', code: 'JP', province: 'Tokyo', provinceCode: 'JP-13', city: '渋谷区', zip: '150-0041',
    street: '神南1-2-3', phone: '+81 90-1234-5678', taxRate: 0.1, taxTitle: '消費税', locale: 'ja', currency: 'JPY',
    names: [['太郎', '山田'], ['花子', '佐藤']],
    carrier: { company: 'ヤマト運輸', url: (n) => `https://toi.kuronekoyamato.co.jp/cgi-bin/tneko?number=${n}`, prefix: '4' }, gateway: 'Cash on Delivery (COD)',
  },
  {
    country: 'Kuwait', code: 'KW', province: 'Hawalli', provinceCode: null, city: 'Salmiya', zip: null,
    street: 'Block 3, Street 14, House 7', phone: '+965 5000 1234', taxRate: 0, taxTitle: 'VAT', locale: 'ar', currency: 'KWD',
    names: [['فاطمة', 'الصباح'], ['Yousef', 'Al-Mutairi']],
    carrier: { company: 'Aramex', url: (n) => `https://www.aramex.com/track/results?ShipmentNumber=${n}`, prefix: '3' }, gateway: 'knet',
  },
  {
    country: 'Sweden', code: 'SE', province: null, provinceCode: null, city: 'Göteborg', zip: '411 05',
    street: 'Järntorget 3', phone: '+46 70 123 45 67', taxRate: 0.25, taxTitle: 'Moms', locale: 'sv', currency: 'SEK',
    names: [['Åsa', 'Öberg'], ['Nils', 'Ågren']],
    carrier: { company: 'PostNord', url: (n) => `https://tracking.postnord.com/se/?id=${n}`, prefix: 'UA' }, gateway: 'klarna',
  },
  {
    country: 'Canada', code: 'CA', province: 'Ontario', provinceCode: 'ON', city: 'Toronto', zip: 'M5V 2T6',
    street: '200 Wellington St W', phone: '+1 416-555-0199', taxRate: 0.13, taxTitle: 'HST', locale: 'en-CA', currency: 'CAD',
    names: [['Émilie', 'Tremblay'], ['Liam', 'MacDonald']],
    carrier: { company: 'Canada Post', url: (n) => `https://www.canadapost-postescanada.ca/track-reperage/en#/details/${n}`, prefix: '7' }, gateway: 'shopify_payments',
  },
  {
    country: 'United Kingdom', code: 'GB', province: 'England', provinceCode: 'ENG', city: 'London', zip: 'SW1A 1AA',
    street: "10 O'Connell Mews", phone: '+44 20 7946 0958', taxRate: 0.2, taxTitle: 'VAT', locale: 'en-GB', currency: 'GBP',
    names: [['Siobhán', "O'Brien"], ['Oliver', 'Smith']],
    carrier: { company: 'Royal Mail', url: (n) => `https://www.royalmail.com/track-your-item#/tracking-results/${n}`, prefix: 'RM' }, gateway: 'shopify_payments',
  },
];

/** Units of each currency per US dollar (fixed: the simulator's exchange rates). */
export const USD_RATES: Record<string, number> = {
  USD: 1, EUR: 0.92, GBP: 0.79, CAD: 1.37, SEK: 10.5, JPY: 151, KWD: 0.307, PLN: 3.95, AUD: 1.52, CHF: 0.88,
};

export const DISCOUNT_CODES = ['WELCOME15', 'SOMMER10', 'EID1', 'VIP20', 'SPRING5'];
export const TAGS = ['vip', 'wholesale', 'Łódź', 'repeat', 'テスト', 'eid', 'b2b'];
export const NOTES = ['Please gift wrap 🎁', 'Leave at the door', '配達前に電話してください', 'Bitte klingeln', 'Call before delivery, 2nd floor'];
export const REFUND_NOTES = ['it broke during shipping', 'Out of stock', 'Zu groß', null, 'customer changed their mind'];
export const CANCEL_REASONS = ['customer', 'fraud', 'inventory', 'declined', 'other', 'staff'] as const;
