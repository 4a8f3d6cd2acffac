// A month grid: days with free times are buttons that stand out; arrow keys move between days (a grid with
// one tab stop), Enter or Space picks one, Page Up/Down change the month.
import { useEffect, useRef, useState } from 'preact/hooks';
import { addDays, formatDateKey, formatMonth, isoWeekday, parseDateKey, weekdayNames } from '../shared/time';

type Props = {
  year: number;
  month: number;
  /** Free slots per civil day ('YYYY-MM-DD') of this month in the guest's zone. */
  freeCounts: Map<string, number>;
  selected: string | null;
  today: string;
  loading: boolean;
  canGoBack: boolean;
  onSelect: (key: string) => void;
  onMonth: (delta: number) => void;
};

const pad = (value: number) => String(value).padStart(2, '0');

export function MonthCalendar(props: Props) {
  const { year, month, freeCounts, selected, today } = props;
  const first = `${year}-${pad(month)}-01`;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const last = `${year}-${pad(month)}-${pad(daysInMonth)}`;
  const firstFree = [...freeCounts.keys()].sort()[0];
  const [focusKey, setFocusKey] = useState<string>(selected ?? firstFree ?? (today >= first && today <= last ? today : first));
  const grid = useRef<HTMLTableElement>(null);

  // Keep the tab stop inside the month shown.
  useEffect(() => {
    if (focusKey < first || focusKey > last) setFocusKey(selected && selected >= first && selected <= last ? selected : firstFree ?? first);
  }, [first, last, selected, firstFree]);

  const onKeyDown = (event: KeyboardEvent) => {
    const moves: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };
    // Start from the focused day itself, not from state that may not have re-rendered yet.
    const from = (event.target as HTMLElement).dataset?.day ?? focusKey;
    let next: string | undefined;
    if (event.key in moves) next = addDays(from, moves[event.key]);
    else if (event.key === 'Home') next = addDays(from, -isoWeekday(from));
    else if (event.key === 'End') next = addDays(from, 6 - isoWeekday(from));
    else if (event.key === 'PageUp' || event.key === 'PageDown') {
      event.preventDefault();
      if (event.key === 'PageDown' || props.canGoBack) props.onMonth(event.key === 'PageUp' ? -1 : 1);
      return;
    } else return;
    event.preventDefault();
    if (next < first) next = first;
    if (next > last) next = last;
    // Every day of the month is rendered already: focus it now (its onFocus makes it the tab stop), so keys
    // pressed in quick succession each start from the day that has focus.
    grid.current?.querySelector<HTMLButtonElement>(`button[data-day="${next}"]`)?.focus();
  };

  const weeks: string[][] = [];
  let cursor = addDays(first, -isoWeekday(first));
  while (cursor <= last) {
    weeks.push(Array.from({ length: 7 }, (_, index) => addDays(cursor, index)));
    cursor = addDays(cursor, 7);
  }
  const names = weekdayNames('short');
  const longNames = weekdayNames('long');
  const label = formatMonth(year, month);

  return (
    <div class="month">
      <div class="month-head">
        <button type="button" class="small" onClick={() => props.onMonth(-1)} disabled={!props.canGoBack} aria-label="Previous month">
          ‹
        </button>
        <h2 id="month-label" aria-live="polite">
          {label}
        </h2>
        <button type="button" class="small" onClick={() => props.onMonth(1)} aria-label="Next month">
          ›
        </button>
      </div>
      <table role="grid" aria-labelledby="month-label" aria-busy={props.loading} ref={grid} onKeyDown={onKeyDown}>
        <thead>
          <tr>
            {names.map((name, index) => (
              <th scope="col" key={name}>
                <abbr title={longNames[index]}>{name}</abbr>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week) => (
            <tr key={week[0]}>
              {week.map((key) => {
                if (key < first || key > last) return <td key={key} role="gridcell" />;
                const count = freeCounts.get(key) ?? 0;
                const isSelected = key === selected;
                const { day } = parseDateKey(key);
                const description = count ? `${count} ${count === 1 ? 'time' : 'times'} free` : 'no free times';
                return (
                  <td key={key} role="gridcell" aria-selected={isSelected}>
                    <button
                      type="button"
                      data-day={key}
                      class={`day${count ? ' free' : ''}${isSelected ? ' selected' : ''}${key === today ? ' today' : ''}`}
                      tabIndex={key === focusKey ? 0 : -1}
                      aria-disabled={count ? undefined : 'true'}
                      aria-label={`${formatDateKey(key)}, ${description}`}
                      onFocus={() => setFocusKey(key)}
                      onClick={() => count && props.onSelect(key)}
                    >
                      {day}
                    </button>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
