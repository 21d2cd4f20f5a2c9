import { expect } from '@open-wc/testing';
import {
  formatDateTime,
  formatDuration,
  formatFileSize,
  formatNumber,
  formatRelativeTime,
  formatTime,
  pluralCategory,
} from './format.js';

// 1 December 2026, 14:05 in the browser's zone: the expectations name the local hour, whatever zone the runner has.
const moment = new Date(2026, 11, 1, 14, 5, 30);
const minutes = (n: number) => n * 60_000;

describe('i18n/format', () => {
  it('writes the time of day as each language does', () => {
    expect(formatTime('en', moment)).to.match(/^2:05\sPM$/);
    expect(formatTime('de', moment)).to.equal('14:05');
    // Arabic marks the afternoon with م, in whatever digits the engine's CLDR picks for `ar`.
    expect(formatTime('ar', moment)).to.match(/^(2|٢):(05|٠٥)\sم$/);
  });

  it('writes a full date with the weekday and month in the language', () => {
    expect(formatDateTime('en', moment)).to.contain('Tuesday').and.contain('December').and.contain('2026');
    expect(formatDateTime('de', moment)).to.contain('Dienstag').and.contain('Dezember');
    expect(formatDateTime('ar', moment)).to.contain('الثلاثاء').and.contain('ديسمبر');
  });

  it('says how long ago in the largest whole unit, with words for yesterday', () => {
    const now = moment.getTime();
    expect(formatRelativeTime('en', now - minutes(3), now)).to.equal('3 minutes ago');
    expect(formatRelativeTime('de', now - minutes(3), now)).to.equal('vor 3 Minuten');
    expect(formatRelativeTime('ar', now - minutes(3), now)).to.match(/^قبل (3|٣) دقائق$/);
    expect(formatRelativeTime('en', now - 24 * minutes(60), now)).to.equal('yesterday');
    expect(formatRelativeTime('de', now - 24 * minutes(60), now)).to.equal('gestern');
    expect(formatRelativeTime('ar', now - 24 * minutes(60), now)).to.equal('أمس');
    expect(formatRelativeTime('en', now + minutes(120), now)).to.equal('in 2 hours');
    expect(formatRelativeTime('en', new Date(now).toISOString(), now)).to.equal('now');
  });

  it('writes a duration as a clock, or in words for screen readers', () => {
    expect(formatDuration('en', 125_000)).to.match(/^0?2:05$/);
    expect(formatDuration('de', 3_723_000)).to.equal('1:02:03');
    expect(formatDuration('en', 185_000, 'long')).to.equal('3 minutes, 5 seconds');
    expect(formatDuration('de', 185_000, 'long')).to.equal('3 Minuten, 5 Sekunden');
    expect(formatDuration('ar', 185_000, 'long'))
      .to.contain('دقائق')
      .and.contain('ثوان');
    expect(formatDuration('en', -5)).to.match(/^0?0:00$/);
  });

  it('writes file sizes in the largest decimal unit, with the locale separator', () => {
    expect(formatFileSize('en', 999)).to.equal('999 byte');
    expect(formatFileSize('en', 1_500_000)).to.equal('1.5 MB');
    expect(formatFileSize('de', 1_500_000)).to.equal('1,5 MB');
    expect(formatFileSize('fr', 2_000)).to.match(/^2\sko$/); // French puts a narrow no-break space
    expect(formatFileSize('ar', 1_500_000)).to.match(/^(1\.5|١٫٥) م\.ب$/);
  });

  it('groups digits as the locale does', () => {
    expect(formatNumber('en', 12_345)).to.equal('12,345');
    expect(formatNumber('de', 12_345)).to.equal('12.345');
  });

  it('picks the plural category of each language, six of them in Arabic', () => {
    expect([0, 1, 2, 5].map((n) => pluralCategory('en', n))).to.deep.equal(['other', 'one', 'other', 'other']);
    expect([0, 1, 2].map((n) => pluralCategory('de', n))).to.deep.equal(['other', 'one', 'other']);
    expect([0, 1, 2].map((n) => pluralCategory('fr', n))).to.deep.equal(['one', 'one', 'other']);
    expect([0, 1, 2, 3, 11, 100].map((n) => pluralCategory('ar', n))).to.deep.equal([
      'zero',
      'one',
      'two',
      'few',
      'many',
      'other',
    ]);
  });
});
