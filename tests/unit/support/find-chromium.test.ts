// The browser finder: the order people have a Chromium in, and a failure that names the install command.
import { findChromium, INSTALL_CHROMIUM } from '../../support/find-chromium';

describe('findChromium', () => {
  it('takes CHROMIUM_PATH first when it exists', () => {
    expect(findChromium({ CHROMIUM_PATH: '/opt/my/chrome' }, (path) => path === '/opt/my/chrome' || path === '/usr/bin/chromium')).toBe('/opt/my/chrome');
  });

  it('refuses a CHROMIUM_PATH that does not exist instead of silently using another browser', () => {
    expect(() => findChromium({ CHROMIUM_PATH: '/nowhere/chrome' }, (path) => path === '/usr/bin/chromium')).toThrow(/CHROMIUM_PATH.*does not exist/);
  });

  it("falls back to the system's chromium when there is no Playwright download", () => {
    expect(findChromium({}, (path) => path === '/usr/bin/chromium', 'linux')).toBe('/usr/bin/chromium');
    expect(findChromium({}, (path) => path.endsWith('Google Chrome'), 'darwin')).toMatch(/Google Chrome.app/);
  });

  it('fails at once with the one command that installs a browser when none exists', () => {
    expect(() => findChromium({}, () => false)).toThrow(INSTALL_CHROMIUM);
  });
});
