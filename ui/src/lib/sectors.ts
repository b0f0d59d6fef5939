// The sectors an organization can be in, as the core lists them (generated/sectors.json),
// named in the window's language.
import sectors from '../generated/sectors.json';
import { known, type MessageKey, t } from './i18n.svelte';

export { sectors };

/** A sector's colour for a new organization's card; grey for one the core does not list. */
export function sectorColour(value: string): string {
  return sectors.find((s) => s.value === value)?.colour ?? '#6c757d';
}

/** A sector's name in the window's language; one the catalogs do not know, as the core names it. */
export function sectorName(value: string): string {
  const key = `window.organization-form.sector.${value}`;
  if (known(key)) return t(key as MessageKey);
  return sectors.find((s) => s.value === value)?.label ?? value;
}
