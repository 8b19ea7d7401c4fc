/**
 * One configuration field of an OAuth provider or a message sender, as Komari describes it from
 * its struct tags (admin-api.md §3.5). The admin UI renders its forms from these and pre-fills
 * `default`; the server does not apply defaults when saving.
 */
export interface ProviderItem {
  name: string;
  required: boolean;
  /** `string`, `int`, `bool`, `option` (a choice from `options`) or `richtext` */
  type: string;
  /** for `option`: the choices, comma-separated */
  options: string;
  default: string;
  help: string;
}
