import { itemWrite } from './item-write.ts';

export const putItem = itemWrite('PutItem');
