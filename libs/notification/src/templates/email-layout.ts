/**
 * The one MJML layout of every email: the store's name as header, a white card with the content,
 * the footer. MJML turns it into table-based HTML with inlined styles that holds up in Outlook,
 * Gmail and Apple Mail. Content arrives as ready MJML fragments; `{{placeholders}}` pass through
 * MJML untouched and are filled per email by Handlebars.
 */
export interface LayoutParts {
  lang: string;
  title: string;
  preheader: string;
  storeName: string;
  content: string[];
  footer: string[];
}

/**
 * System fonts only: nothing is fetched when an email opens. (MJML would link Google Fonts for a
 * font it knows, such as Roboto; the renderer passes it `fonts: {}` so it never does.)
 */
const FONT =
  "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', sans-serif";
/**
 * The preheader: the line mail clients show after the subject, hidden in the body. Hidden by
 * display:none and a zero height only, in the text's own colour: SpamAssassin counts white-on-light
 * text as HTML_FONT_LOW_CONTRAST and a 1px font as invisible text (FONT_INVIS_MSGID), as MJML's
 * mj-preview writes it.
 */
const PREHEADER_STYLE = 'display:none;max-height:0;max-width:0;overflow:hidden;mso-hide:all;';
export const BRAND_COLOR = '#1979c3';
const TEXT_COLOR = '#1f2933';
const MUTED_COLOR = '#52606d';

export function layoutMjml(parts: LayoutParts): string {
  return `<mjml lang="${parts.lang}" dir="ltr">
  <mj-head>
    <mj-title>${parts.title}</mj-title>
    <mj-attributes>
      <mj-all font-family="${FONT}" />
      <mj-text font-size="15px" line-height="24px" color="${TEXT_COLOR}" padding="0 28px 16px" />
    </mj-attributes>
  </mj-head>
  <mj-body background-color="#f2f4f7" width="600px">
    <mj-raw><div style="${PREHEADER_STYLE}">${parts.preheader}</div></mj-raw>
    <mj-section padding="28px 0 12px">
      <mj-column>
        <mj-text font-size="20px" line-height="28px" font-weight="700" padding="0 28px">${parts.storeName}</mj-text>
      </mj-column>
    </mj-section>
    <mj-section background-color="#ffffff" border-radius="6px" padding="28px 0 12px">
      <mj-column>
${parts.content.map((c) => `        ${c}`).join('\n')}
      </mj-column>
    </mj-section>
    <mj-section padding="16px 0 32px">
      <mj-column>
${parts.footer.map((c) => `        ${c}`).join('\n')}
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`;
}

export const mjHeading = (html: string): string =>
  `<mj-text font-size="22px" line-height="30px" font-weight="700" padding="0 28px 20px"><h1 style="margin:0;font-size:22px;line-height:30px;font-weight:700;">${html}</h1></mj-text>`;

export const mjParagraph = (html: string): string => `<mj-text>${html}</mj-text>`;

export const mjButton = (label: string, href: string): string =>
  `<mj-button href="${href}" align="left" background-color="${BRAND_COLOR}" color="#ffffff" font-size="16px" font-weight="700" border-radius="4px" inner-padding="12px 26px" padding="4px 28px 20px">${label}</mj-button>`;

export const mjLinkAsText = (intro: string, href: string): string =>
  `<mj-text font-size="13px" line-height="20px" color="${MUTED_COLOR}">${intro}<br /><a href="${href}" style="color:${BRAND_COLOR};word-break:break-all;">${href}</a></mj-text>`;

export const mjFooter = (html: string): string =>
  `<mj-text font-size="12px" line-height="18px" color="${MUTED_COLOR}" padding="0 28px 6px">${html}</mj-text>`;

export const mjSignature = (html: string): string => `<mj-text padding="4px 28px 8px">${html}</mj-text>`;
