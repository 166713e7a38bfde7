import { Type } from 'typebox';
import { errorCodes } from '../../errors/index.js';

/** The one error body every route answers with; its code enum is the catalogue. */
export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.Union(errorCodes.map((c) => Type.Literal(c))),
      message: Type.String(),
      details: Type.Record(Type.String(), Type.Unknown()),
    }),
  },
  { $id: 'ErrorResponse', description: 'Every 4xx/5xx answer' },
);

/** Spread into a route's `response` to document its error answers. */
export const errorResponses = {
  '4xx': Type.Ref('ErrorResponse'),
  '5xx': Type.Ref('ErrorResponse'),
};
