import { Translator } from '@customer-access/i18n';
import { PageAssets } from './page-assets';
import { PageRenderer } from './page-renderer';

describe('PageRenderer', () => {
  const renderer = new PageRenderer(new Translator(), new PageAssets());
  const frame = { locale: 'en', storeName: 'Tea & <Co>', supportEmail: 'help@shop.example', title: 'Forgot Your Password?' };

  it('escapes everything a person typed or an admin set, so no input becomes markup', () => {
    const html = renderer.render('forgot-password', frame, { email: '"><script>alert(1)</script>', csrfToken: 't' });
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(html).toContain('<p class="store-name">Tea &amp; &lt;Co&gt;</p>');
  });

  it('writes the page in its language, with the switch naming each language in itself', () => {
    const html = renderer.render('forgot-password', { ...frame, locale: 'zh-CN', title: '忘记密码？' }, { email: '', csrfToken: 't' });
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('<label for="email">电子邮件地址</label>');
    expect(html).toMatch(/<a href="\?lang=en" lang="en" hreflang="en">English<\/a>/);
    expect(html).toMatch(/<a href="\?lang=zh-CN" lang="zh-CN" hreflang="zh-CN" aria-current="true">简体中文<\/a>/);
  });

  it('has no inline script or style for the CSP to refuse', () => {
    for (const name of ['forgot-password', 'create-password', 'reset-link-hop', 'error', 'dev-index'] as const) {
      const html = renderer.render(name, { ...frame, passwordScript: true, refreshTo: '/x' }, { form: true, csrfToken: 't', minLength: 6 });
      expect({ name, inline: /<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=|\son[a-z]+=/i.test(html) }).toEqual({ name, inline: false });
    }
  });

  it('reuses a rendering, but each reader gets their own CSRF token, escaped, and no other page is confused with it', () => {
    const data = { form: true, minLength: 6 };
    const first = renderer.render('create-password', frame, { ...data, csrfToken: 'token-A' });
    const second = renderer.render('create-password', frame, { ...data, csrfToken: 'B"<b>' });
    expect(first).toContain('value="token-A"');
    expect(first).not.toContain('B&quot;');
    expect(second).toContain('value="B&quot;&lt;b&gt;"');
    expect(second).not.toContain('token-A');
    expect(second.replace('B&quot;&lt;b&gt;', 'token-A')).toBe(first);
    // Any other difference is another page: the language, a setting, a message.
    expect(renderer.render('create-password', { ...frame, locale: 'zh-CN' }, { ...data, csrfToken: 'token-A' })).toContain('lang="zh-CN"');
    expect(renderer.render('create-password', frame, { ...data, minLength: 9, csrfToken: 'token-A' })).not.toBe(first);
  });

  it('links the fingerprinted stylesheet and script, and asks search engines not to index the page', () => {
    const assets = new PageAssets();
    const html = renderer.render('create-password', { ...frame, passwordScript: true }, { form: true, csrfToken: 't', minLength: 6 });
    expect(html).toContain(`<link rel="stylesheet" href="${assets.stylesheet.url}">`);
    expect(html).toContain(`<script src="${assets.script.url}" defer></script>`);
    expect(html).toContain('<meta name="robots" content="noindex">');
  });

  it("puts each reader's account email into the reset form's username field, escaped, on a shared rendering", () => {
    const data = { form: true, minLength: 6, csrfToken: 't' };
    const first = renderer.render('create-password', frame, { ...data, username: 'a@shop.example' });
    const second = renderer.render('create-password', frame, { ...data, username: '"b"@shop.example' });
    expect(first).toContain('<input type="email" name="username" autocomplete="username" value="a@shop.example" readonly hidden>');
    expect(second).toContain('value="&quot;b&quot;@shop.example"');
    expect(second.replace('&quot;b&quot;@shop.example', 'a@shop.example')).toBe(first);
    expect(renderer.render('create-password', frame, data)).toContain('autocomplete="username" value=""');
  });
});
