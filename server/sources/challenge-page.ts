/**
 * A bot-protection page, recognised by marks that only such pages carry (a normal page
 * behind the same service may load its scripts, so a script name is not enough).
 */
const MARKS: ReadonlyArray<readonly [RegExp, string]> = [
  [/<title>\s*just a moment/i, 'a Cloudflare challenge page ("Just a moment…")'],
  [/_cf_chl_opt|cf-browser-verification|id="challenge-form"/i, 'a Cloudflare challenge page'],
  [/attention required!? \| cloudflare/i, 'a Cloudflare block page'],
  [/checking your browser before accessing/i, 'a browser-check page'],
  [/<title>\s*ddos-guard/i, 'a DDoS-Guard challenge page'],
  [/sucuri website firewall/i, 'a Sucuri firewall page'],
  [/incapsula incident id/i, 'an Imperva block page'],
  [/id="px-captcha"/i, 'a PerimeterX challenge page'],
  [/<title>\s*access denied\s*<\/title>[\s\S]*reference\s*#/i, 'an Akamai "Access Denied" page'],
  [/enable javascript and cookies to continue/i, 'a challenge page that wants JavaScript'],
];

/** How many leading characters are searched: the marks sit in the head of the page. */
const SEARCHED = 64 * 1024;

/**
 * Names the challenge page `text` is, if it is one. Such a page can answer 200 with a
 * perfectly parsable body, so it is looked for before any figure is read.
 */
export function recogniseChallenge(text: string, headers: Headers): string | undefined {
  if (headers.get('cf-mitigated')?.toLowerCase() === 'challenge') return 'a Cloudflare challenge page';
  const head = text.slice(0, SEARCHED);
  for (const [mark, name] of MARKS) if (mark.test(head)) return name;
  return undefined;
}
