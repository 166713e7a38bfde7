/** The smallest pre-check: allows everything and returns the input unchanged. */
export default class AllowAll {
  eval(_parameters, input, _context) {
    return { allowed: true, input_data: input };
  }
}
