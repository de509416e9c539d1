import type { ScenarioManifest } from '../manifest.ts';

export const scenario = {
  id: 'thumbnails',
  stackPart: 'Thumbnails',
  functions: [{ output: 'ThumbnailFunctionName', source: 'handler.ts', title: 'Thumbnail function' }],
  outputs: {
    photosBucket: 'PhotosBucketName',
    thumbnailsBucket: 'ThumbnailsBucketName',
    logGroup: 'ThumbnailLogGroupName',
  },
  defaultEvent: 'object-created-put',
  trigger: { kind: 'upload', upload: 'photosBucket' },
} as const satisfies ScenarioManifest<'thumbnails'>;
