import { BadUserInputError } from "../domain/errors.js";

/** A document (or chunking setting) that cannot be reduced or chunked: the client's input, so BAD_USER_INPUT. */
export class DocumentInputError extends BadUserInputError {}
