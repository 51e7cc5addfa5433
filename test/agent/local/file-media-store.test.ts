import { mediaStoreContract } from '../../contracts/media-store.contract.ts';
import { FileMediaStore } from '../../../agent/local/file-media-store.ts';
import { makeTempDir } from '../../stand-ins/temp-dir.ts';

mediaStoreContract('files under HERMES_HOME', async () => {
  const dir = await makeTempDir();
  return { subject: new FileMediaStore(dir.path), teardown: dir.remove };
});
